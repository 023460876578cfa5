-- bench-light: the engine benchmark's light rule pack. Five rules of field
-- checks and plain string.find, the cheapest rules a community writes. The C
-- baseline runs these same files; see Benchmarks/README.md.
return {
  name = "bench-light",
  version = "1.0.0",
  description = "Benchmark pack: five cheap rules (field checks and plain find)",
  events = { "message_posted" },
  failure = "open",
  settings = {
    max_length = { type = "integer", default = 600, description = "Longest post, in bytes" },
    support_team = { type = "string", default = "support", description = "Who answers questions" },
  },
  rules = { "rules.lua" },
}
