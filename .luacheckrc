-- luacheck settings for Parley plugins: `luacheck plugins`
-- Rule files run in Parley's sandbox (docs/rules.md): Lua 5.4 without the
-- libraries and functions below, plus the Parley rule API.
std = "lua54"

-- Refused by the sandbox; luacheck reports any use as an undefined global.
-- (string.dump is refused too, but luacheck cannot take one field away from string.)
not_globals = {
  "io", "os", "debug", "package", "require", "load", "loadfile", "dofile",
  "collectgarbage", "coroutine", "print", "rawset",
}

-- The Parley rule API (docs/lua/parley.lua has the signatures).
read_globals = {
  "rule",
  "allow", "flag", "hold", "remove",
  "reply", "contact", "notify", "route", "tag", "score", "mute", "schedule",
  parley = { fields = { "now", "random", "log" } },
  state = { fields = { "get", "set", "incr", "delete" } },
}

-- Specs also get the test host and busted-style functions.
files["**/spec/**/*.lua"] = {
  read_globals = {
    "describe", "it", "before_each", "after_each", "cases",
    host = { fields = { "member", "thread", "settings", "post", "edit", "join", "report", "consent",
                        "review", "appeal", "resolve_appeal", "advance", "now" } },
    assert = { fields = { "equals", "same", "is_true", "is_false", "is_nil", "not_nil", "truthy",
                          "falsy", "matches", "has_effect" } },
  },
}

-- Annotation files for the language server, never run.
exclude_files = { "docs/lua/**", ".build/**", ".build-asan/**", ".build-tsan/**" }
