/*
 * parley_sandbox.c — what a rule's environment holds, and the library
 * functions that must be bounded because the count hook cannot stop C code.
 *
 * Each environment is a fresh table holding:
 *  - the safe base functions (tostring and setmetatable replaced: no
 *    addresses, no __gc);
 *  - fresh copies of string, table, math and utf8, so a rule that changes
 *    its `string` changes only its own plugin;
 *  - copies of the host's modules;
 *  - a protected metatable whose __index names each forbidden global.
 * The string metatable's __index is a hidden table of the bounded string
 * functions, and getmetatable("") returns only the word "protected".
 *
 * Bounded functions: string.rep (size cap, no empty-string loop), string.format
 * (no %p, no addresses through %s), table.concat/insert/remove/move (charge
 * their loops to the budget), and the pattern functions in parley_pattern.c.
 */

#include "parley_lua.h"

#include <string.h>

static const char *const kEnvMeta = "parley.envmeta";
static const char *const kLibs = "parley.libs";
static const char *const kHostGlobals = "parley.hostglobals";
static const char *const kModules = "parley.modules";
static const char *const kProtected = "protected";

/* Names a rule may look for, and what to do instead. */
static const char *const kForbidden[][2] = {
    {"io", "rules cannot read or write files"},
    {"os", "rules cannot reach the system; use parley.now() for the time"},
    {"debug", "the debug library could break out of the sandbox"},
    {"package", "rules cannot load modules; put shared code in the plugin's files"},
    {"require", "rules cannot load modules; put shared code in the plugin's files"},
    {"load", "rules cannot compile code at run time"},
    {"loadfile", "rules cannot compile code at run time"},
    {"loadstring", "rules cannot compile code at run time"},
    {"dofile", "rules cannot run other files"},
    {"collectgarbage", "memory is managed by the host"},
    {"coroutine", "coroutines are not available to rules"},
    {"print", "use parley.log(...) to write to the host's log"},
    {"rawset", "assign fields normally"},
    {"setfenv", "environments are fixed by the host"},
    {"getfenv", "environments are fixed by the host"},
    {"module", "rules cannot load modules"},
    {"newproxy", "userdata is not available to rules"},
    {"dump", "string.dump would expose bytecode"},
};

static const char *const kBaseNames[] = {
    "assert", "error", "ipairs", "next", "pairs", "pcall", "select",
    "tonumber", "type", "rawequal", "rawlen", "rawget", "getmetatable",
};

/* --- Forbidden names ------------------------------------------------------------ */

static int pl_forbidden_index(lua_State *L) {
  if (lua_type(L, 2) != LUA_TSTRING) return 0;
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TSTRING) return 0;
  pl_state_of(L)->forbidden_raised = 1;
  return luaL_error(L, "'%s' is not available in the Parley sandbox: %s",
                    lua_tostring(L, 2), lua_tostring(L, -1));
}

/* Pushes a protected metatable that reports forbidden names on __index. */
static void pl_push_forbidden_meta(lua_State *L) {
  lua_createtable(L, 0, 2);
  lua_createtable(L, 0, (int)(sizeof kForbidden / sizeof kForbidden[0]));
  for (size_t i = 0; i < sizeof kForbidden / sizeof kForbidden[0]; i++) {
    lua_pushstring(L, kForbidden[i][1]);
    lua_setfield(L, -2, kForbidden[i][0]);
  }
  lua_pushcclosure(L, pl_forbidden_index, 1);
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, kProtected);
  lua_setfield(L, -2, "__metatable");
}

/* --- Base replacements ----------------------------------------------------------- */

/* tostring without addresses: "table", "function" instead of "table: 0x55..". */
static int pl_tostring(lua_State *L) {
  luaL_checkany(L, 1);
  int t = lua_type(L, 1);
  if ((t == LUA_TTABLE || t == LUA_TUSERDATA) && luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
    lua_pop(L, 1);
    luaL_tolstring(L, 1, NULL);
    return 1;
  }
  if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD ||
      t == LUA_TLIGHTUSERDATA) {
    lua_pushstring(L, lua_typename(L, t));
    return 1;
  }
  luaL_tolstring(L, 1, NULL);
  return 1;
}

/* xpcall whose handler runs after the stack has unwound, under the hook.
 * Lua runs a message handler from inside the raise; when the raise comes from
 * the count hook (a budget), hooks are still off there, so a handler that
 * loops would never be stopped. Rules have no debug library, so a handler
 * cannot tell the difference: it sees the same error object either way.
 * Memory errors skip the handler, as in Lua. */
static int pl_xpcall(lua_State *L) {
  int n = lua_gettop(L);
  luaL_checktype(L, 2, LUA_TFUNCTION);
  lua_pushvalue(L, 1);
  for (int i = 3; i <= n; i++) lua_pushvalue(L, i);
  int status = lua_pcall(L, n - 2, LUA_MULTRET, 0);
  if (status == LUA_OK) {
    lua_pushboolean(L, 1);
    lua_insert(L, n + 1);
    return lua_gettop(L) - n;
  }
  if (status != LUA_ERRMEM) {
    lua_pushvalue(L, 2);
    lua_insert(L, -2);
    lua_pcall(L, 1, 1, 0); /* an error in the handler becomes the result */
  }
  lua_pushboolean(L, 0);
  lua_insert(L, -2);
  return 2;
}

/* setmetatable that refuses __gc: finalizers run with hooks off and at
 * lua_close, where no budget can stop them. Lua marks an object for
 * finalization when its metatable has a __gc field (any value) at this call. */
static int pl_setmetatable(lua_State *L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (t == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "'__gc' is not available in the Parley sandbox: "
                           "rules cannot run code when memory is collected");
    lua_pop(L, 1);
  }
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    return luaL_error(L, "cannot change a protected metatable");
  lua_settop(L, 2);
  lua_setmetatable(L, 1);
  return 1;
}

/* --- string ---------------------------------------------------------------------- */

static int pl_str_rep(lua_State *L) {
  size_t l, lsep;
  const char *s = luaL_checklstring(L, 1, &l);
  lua_Integer n = luaL_checkinteger(L, 2);
  const char *sep = luaL_optlstring(L, 3, "", &lsep);
  if (n <= 0 || (l == 0 && lsep == 0)) {
    lua_pushliteral(L, "");
    return 1;
  }
  pl_state *st = pl_state_of(L);
  size_t cap = st->limit;
  if (l + lsep < l || (size_t)n > cap / (l + lsep))
    return luaL_error(L, "string.rep: result too large (the state may use %I bytes)",
                      (lua_Integer)cap);
  size_t total = (size_t)n * l + (size_t)(n - 1) * lsep;
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, total);
  for (lua_Integer i = 0; i < n; i++) {
    memcpy(p, s, l);
    p += l;
    if (lsep > 0 && i + 1 < n) {
      memcpy(p, sep, lsep);
      p += lsep;
    }
    if ((i & 0xFFFF) == 0xFFFF) pl_charge(L, 0x10000);
  }
  luaL_pushresultsize(&b, total);
  return 1;
}

/* string.format without %p and without addresses through %s. */
static int pl_str_format(lua_State *L) {
  size_t len;
  const char *fmt = luaL_checklstring(L, 1, &len);
  const char *end = fmt + len;
  int arg = 1;
  for (const char *p = fmt; p < end; p++) {
    if (*p != '%') continue;
    if (++p < end && *p == '%') continue;
    while (p < end && strchr("-+ #0123456789.", *p) != NULL) p++;
    if (p >= end) break;
    arg++;
    if (*p == 'p')
      return luaL_error(L, "string.format: '%%p' is not available in the Parley sandbox "
                           "(it prints memory addresses)");
    if (*p == 's' && arg <= lua_gettop(L)) {
      int t = lua_type(L, arg);
      if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA || t == LUA_TTHREAD ||
          t == LUA_TLIGHTUSERDATA) {
        lua_pushcfunction(L, pl_tostring);
        lua_pushvalue(L, arg);
        lua_call(L, 1, 1);
        lua_replace(L, arg);
      }
    }
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

/* --- table ----------------------------------------------------------------------- */

enum { PL_TABLE_CHARGE_EVERY = 4096 };

static void pl_check_table(lua_State *L, int arg) {
  if (lua_type(L, arg) != LUA_TTABLE) luaL_checktype(L, arg, LUA_TTABLE);
}

static int pl_tab_concat(lua_State *L) {
  pl_check_table(L, 1);
  size_t lsep;
  const char *sep = luaL_optlstring(L, 2, "", &lsep);
  lua_Integer i = luaL_optinteger(L, 3, 1);
  lua_Integer last = luaL_opt(L, luaL_checkinteger, 4, luaL_len(L, 1));
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  for (; i <= last; i++) {
    lua_geti(L, 1, i);
    if (!lua_isstring(L, -1))
      return luaL_error(L, "invalid value (at index %I) in table for 'concat'", (lua_Integer)i);
    luaL_addvalue(&b);
    if (i != last && lsep > 0) luaL_addlstring(&b, sep, lsep);
    if ((i & (PL_TABLE_CHARGE_EVERY - 1)) == 0) pl_charge(L, PL_TABLE_CHARGE_EVERY);
    if (i == last) break; /* avoid overflow when last == maxinteger */
  }
  luaL_pushresult(&b);
  return 1;
}

static int pl_tab_insert(lua_State *L) {
  pl_check_table(L, 1);
  lua_Integer e = luaL_len(L, 1) + 1; /* first empty element */
  lua_Integer pos;
  switch (lua_gettop(L)) {
  case 2:
    pos = e;
    break;
  case 3:
    pos = luaL_checkinteger(L, 2);
    luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2, "position out of bounds");
    for (lua_Integer i = e; i > pos; i--) {
      lua_geti(L, 1, i - 1);
      lua_seti(L, 1, i);
      if ((i & (PL_TABLE_CHARGE_EVERY - 1)) == 0) pl_charge(L, PL_TABLE_CHARGE_EVERY);
    }
    break;
  default:
    return luaL_error(L, "wrong number of arguments to 'insert'");
  }
  lua_seti(L, 1, pos);
  return 0;
}

static int pl_tab_remove(lua_State *L) {
  pl_check_table(L, 1);
  lua_Integer size = luaL_len(L, 1);
  lua_Integer pos = luaL_optinteger(L, 2, size);
  if (pos != size)
    luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size, 2, "position out of bounds");
  lua_geti(L, 1, pos);
  for (; pos < size; pos++) {
    lua_geti(L, 1, pos + 1);
    lua_seti(L, 1, pos);
    if ((pos & (PL_TABLE_CHARGE_EVERY - 1)) == 0) pl_charge(L, PL_TABLE_CHARGE_EVERY);
  }
  lua_pushnil(L);
  lua_seti(L, 1, pos);
  return 1;
}

static int pl_tab_move(lua_State *L) {
  pl_check_table(L, 1);
  lua_Integer f = luaL_checkinteger(L, 2);
  lua_Integer e = luaL_checkinteger(L, 3);
  lua_Integer t = luaL_checkinteger(L, 4);
  int tt = !lua_isnoneornil(L, 5) ? 5 : 1;
  pl_check_table(L, tt);
  if (e >= f) {
    luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3, "too many elements to move");
    lua_Integer n = e - f + 1;
    luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4, "destination wrap around");
    if (t > e || t <= f || (tt != 1 && !lua_compare(L, 1, tt, LUA_OPEQ))) {
      for (lua_Integer i = 0; i < n; i++) {
        lua_geti(L, 1, f + i);
        lua_seti(L, tt, t + i);
        if ((i & (PL_TABLE_CHARGE_EVERY - 1)) == PL_TABLE_CHARGE_EVERY - 1)
          pl_charge(L, PL_TABLE_CHARGE_EVERY);
      }
    } else {
      for (lua_Integer i = n - 1; i >= 0; i--) {
        lua_geti(L, 1, f + i);
        lua_seti(L, tt, t + i);
        if ((i & (PL_TABLE_CHARGE_EVERY - 1)) == 0) pl_charge(L, PL_TABLE_CHARGE_EVERY);
      }
    }
  }
  lua_pushvalue(L, tt);
  return 1;
}

/* --- Building the templates ------------------------------------------------------- */

/* to[k] = from[k] for every field (raw; no metamethods). */
static void pl_copy_fields(lua_State *L, int from, int to) {
  lua_pushnil(L);
  while (lua_next(L, from) != 0) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, to);
  }
}

static void pl_build_string_lib(lua_State *L) {
  luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0); /* the real one */
  int real = lua_gettop(L);
  lua_newtable(L);
  int lib = lua_gettop(L);
  pl_copy_fields(L, real, lib);
  lua_pushnil(L);
  lua_setfield(L, lib, "dump");
  lua_pushcfunction(L, pl_str_rep);
  lua_setfield(L, lib, "rep");
  lua_getfield(L, real, "format");
  lua_pushcclosure(L, pl_str_format, 1);
  lua_setfield(L, lib, "format");
  lua_pushvalue(L, lib);
  pl_open_patterns(L); /* find, match, gmatch, gsub */
  lua_pop(L, 1);
  /* Strings index this hidden table; getmetatable("") says only "protected". */
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushvalue(L, lib);
  lua_setfield(L, -2, "__index");
  lua_pushstring(L, kProtected);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);
  lua_remove(L, real); /* leaves the bounded copy */
}

static void pl_build_table_lib(lua_State *L) {
  luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 0);
  int real = lua_gettop(L);
  lua_newtable(L);
  int lib = lua_gettop(L);
  pl_copy_fields(L, real, lib);
  lua_pushcfunction(L, pl_tab_concat);
  lua_setfield(L, lib, "concat");
  lua_pushcfunction(L, pl_tab_insert);
  lua_setfield(L, lib, "insert");
  lua_pushcfunction(L, pl_tab_remove);
  lua_setfield(L, lib, "remove");
  lua_pushcfunction(L, pl_tab_move);
  lua_setfield(L, lib, "move");
  lua_remove(L, real);
}

/* math.random: seeds the generator with the host's pending seed on the
 * first draw after pl_set_random_seed, then draws. Upvalues: the real
 * random and randomseed. */
static int pl_random(lua_State *L) {
  pl_state *s = pl_state_of(L);
  if (s->random_pending) {
    s->random_pending = 0;
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushinteger(L, (lua_Integer)s->random_seed);
    lua_call(L, 1, 0);
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

static void pl_build_math_lib(lua_State *L) {
  luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 0);
  int real = lua_gettop(L);
  lua_newtable(L);
  int lib = lua_gettop(L);
  pl_copy_fields(L, real, lib);
  /* Seeding belongs to the host: math.randomseed() returns the wall clock. */
  lua_getfield(L, lib, "random");
  lua_getfield(L, lib, "randomseed");
  lua_pushcclosure(L, pl_random, 2);
  lua_setfield(L, lib, "random");
  lua_pushnil(L);
  lua_setfield(L, lib, "randomseed");
  lua_remove(L, real);
}

static void pl_build_utf8_lib(lua_State *L) {
  luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 0);
  int real = lua_gettop(L);
  lua_newtable(L);
  pl_copy_fields(L, real, lua_gettop(L));
  lua_remove(L, real);
}

int pl_sandbox_setup(lua_State *L) {
  luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
  int base = lua_gettop(L);

  /* parley.libs: name -> template, copied into every environment. */
  lua_newtable(L);
  int libs = lua_gettop(L);
  for (size_t i = 0; i < sizeof kBaseNames / sizeof kBaseNames[0]; i++) {
    lua_getfield(L, base, kBaseNames[i]);
    lua_setfield(L, libs, kBaseNames[i]);
  }
  lua_pushcfunction(L, pl_tostring);
  lua_setfield(L, libs, "tostring");
  lua_pushcfunction(L, pl_setmetatable);
  lua_setfield(L, libs, "setmetatable");
  lua_pushcfunction(L, pl_xpcall);
  lua_setfield(L, libs, "xpcall");
  lua_getfield(L, base, "_VERSION");
  lua_setfield(L, libs, "_VERSION");
  pl_build_string_lib(L);
  lua_setfield(L, libs, LUA_STRLIBNAME);
  pl_build_table_lib(L);
  lua_setfield(L, libs, LUA_TABLIBNAME);
  pl_build_math_lib(L);
  lua_setfield(L, libs, LUA_MATHLIBNAME);
  pl_build_utf8_lib(L);
  lua_setfield(L, libs, LUA_UTF8LIBNAME);
  lua_setfield(L, LUA_REGISTRYINDEX, kLibs);

  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kHostGlobals);
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kModules);
  pl_push_forbidden_meta(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kEnvMeta);
  lua_settop(L, 0);
  return 0;
}

/* --- Environments ---------------------------------------------------------------- */

static void pl_copy_table_field(lua_State *L, int env) {
  /* key at -2, table at -1: env[key] = shallow copy; leaves the key */
  lua_newtable(L);
  pl_copy_fields(L, lua_gettop(L) - 1, lua_gettop(L));
  lua_remove(L, -2);
  lua_pushvalue(L, -2);
  lua_insert(L, -2);
  lua_rawset(L, env);
}

static int pl_new_environment_protected(lua_State *L) {
  lua_newtable(L);
  int env = lua_gettop(L);
  const char *const sources[] = {kLibs, kHostGlobals, kModules};
  for (int k = 0; k < 3; k++) {
    lua_getfield(L, LUA_REGISTRYINDEX, sources[k]);
    int src = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, src) != 0) {
      if (lua_type(L, -1) == LUA_TTABLE) {
        pl_copy_table_field(L, env);
      } else {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, env);
      }
    }
    lua_pop(L, 1);
  }
  /* string.dump and friends: say why they are missing. */
  lua_getfield(L, env, LUA_STRLIBNAME);
  lua_getfield(L, LUA_REGISTRYINDEX, kEnvMeta);
  lua_setmetatable(L, -2);
  lua_pop(L, 1);
  lua_pushvalue(L, env);
  lua_setfield(L, env, LUA_GNAME);
  lua_getfield(L, LUA_REGISTRYINDEX, kEnvMeta);
  lua_setmetatable(L, env);
  return 1;
}

void pl_new_environment(pl_state *s) {
  lua_State *L = s->L;
  lua_pushcfunction(L, pl_new_environment_protected);
  if (lua_pcall(L, 0, 1, 0) != LUA_OK) {
    /* Only a process out of memory gets here; give an empty table back. */
    lua_pop(L, 1);
    lua_newtable(L);
  }
}

void pl_register_host_function(pl_state *s, const char *module, const char *name) {
  lua_State *L = s->L;
  if (module == NULL) {
    lua_getfield(L, LUA_REGISTRYINDEX, kHostGlobals);
  } else {
    lua_getfield(L, LUA_REGISTRYINDEX, kModules);
    if (lua_getfield(L, -1, module) != LUA_TTABLE) {
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_setfield(L, -3, module);
    }
    lua_remove(L, -2);
  }
  lua_insert(L, -2);
  lua_setfield(L, -2, name);
  lua_pop(L, 1);
}
