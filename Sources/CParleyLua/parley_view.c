/*
 * parley_view.c — the field read of a read-only view, in C.
 *
 * The rule API (RuleAPI.lua.swift) gives rules read-only views of the event
 * and its context: an empty proxy table per table, whose metatable's
 * __index reads the backing table. A rule reads a dozen fields per call, so
 * that read runs on every one; written in Lua it was a function call and
 * four table lookups in the VM. Here the common cases (a plain value, a
 * table whose proxy exists, a table seen for the first time, a missing
 * field) never leave C; only loading a lazy field calls back into the rule
 * API's Lua.
 *
 * It raises no error of its own. Only making a new view allocates (and so
 * may raise Lua's memory error, which unwinds through Lua as the slow
 * path's errors do); the other cases allocate nothing.
 */

#include "parley_lua.h"

/* __index(proxy, key). Upvalues: backing (proxy -> table), the views'
 * metatable (a nested table's proxy replaces it in its parent, so a table
 * value with that metatable is a proxy already), the private key under
 * which a table with fields built on first read keeps their loaders, slow
 * (the Lua fallback, called as slow(proxy, key)). */
static int pl_view_index(lua_State *L) {
  lua_settop(L, 2);
  lua_pushvalue(L, 1);
  if (lua_rawget(L, lua_upvalueindex(1)) == LUA_TTABLE) { /* 3: backing table */
    lua_pushvalue(L, 2);
    int type = lua_rawget(L, 3); /* 4: its value */
    if (type == LUA_TTABLE) {
      if (lua_getmetatable(L, 4)) {
        int proxy = lua_rawequal(L, -1, lua_upvalueindex(2));
        lua_pop(L, 1);
        if (proxy) return 1;
      }
      /* A table read for the first time: its new proxy takes its place in
       * the parent, so the next read finds the proxy (the rule API's
       * `child`). */
      lua_createtable(L, 0, 0); /* 5: the proxy */
      lua_pushvalue(L, lua_upvalueindex(2));
      lua_setmetatable(L, 5);
      lua_pushvalue(L, 5);
      lua_pushvalue(L, 4);
      lua_rawset(L, lua_upvalueindex(1)); /* backing[proxy] = the table */
      lua_pushvalue(L, 2);
      lua_pushvalue(L, 5);
      lua_rawset(L, 3); /* parent[key] = proxy */
      return 1;
    } else if (type != LUA_TNIL) {
      return 1;
    } else {
      lua_pushvalue(L, lua_upvalueindex(3));
      int lazy = lua_rawget(L, 3);
      lua_pop(L, 1);
      if (lazy == LUA_TNIL) return 1; /* nil: the field is missing */
    }
  }
  lua_settop(L, 2);
  lua_pushvalue(L, lua_upvalueindex(4));
  lua_insert(L, 1);
  lua_call(L, 2, 1);
  return 1;
}

/* view_index(backing, view_metatable, lazy_key, slow) -> the __index function above. */
static int pl_make_view_index(lua_State *L) {
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_checktype(L, 2, LUA_TTABLE);
  luaL_checkany(L, 3);
  luaL_checktype(L, 4, LUA_TFUNCTION);
  lua_settop(L, 4);
  lua_pushcclosure(L, pl_view_index, 4);
  return 1;
}

void pl_register_view_index(pl_state *state, const char *module, const char *name) {
  lua_pushcfunction(state->L, pl_make_view_index);
  pl_register_host_function(state, module, name);
}
