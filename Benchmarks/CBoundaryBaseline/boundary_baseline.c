#include "boundary_baseline.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <time.h>

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t baseline_push_and_call(const char *source, int64_t iterations, int64_t *elapsed_ns) {
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  if (luaL_dostring(L, source) != LUA_OK) {
    fprintf(stderr, "baseline: %s\n", lua_tostring(L, -1));
    lua_close(L);
    return -1;
  }
  lua_getglobal(L, "reader");
  int reader = luaL_ref(L, LUA_REGISTRYINDEX);
  int64_t sum = 0;
  int64_t start = now_ns();
  for (int64_t i = 0; i < iterations; i++) {
    lua_rawgeti(L, LUA_REGISTRYINDEX, reader);
    lua_createtable(L, 0, 12);
    lua_pushinteger(L, i);
    lua_setfield(L, -2, "id");
    lua_pushstring(L, "thread-42");
    lua_setfield(L, -2, "thread");
    lua_pushstring(L, "member-7");
    lua_setfield(L, -2, "author");
    lua_pushstring(L, "Has anyone tried the new firmware? My router keeps rebooting.");
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, 1764100000 + i);
    lua_setfield(L, -2, "created_at");
    lua_pushnil(L);
    lua_setfield(L, -2, "reply_to");
    lua_pushboolean(L, i % 7 == 0);
    lua_setfield(L, -2, "sponsored");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "automated");
    lua_pushstring(L, "member");
    lua_setfield(L, -2, "role");
    lua_pushinteger(L, 2);
    lua_setfield(L, -2, "trust");
    lua_pushstring(L, "community-1");
    lua_setfield(L, -2, "community");
    lua_pushnumber(L, 0.25);
    lua_setfield(L, -2, "score");
    if (lua_pcall(L, 1, 1, 0) != LUA_OK) {
      fprintf(stderr, "baseline: %s\n", lua_tostring(L, -1));
      break;
    }
    sum += lua_tointeger(L, -1);
    lua_pop(L, 1);
  }
  *elapsed_ns = now_ns() - start;
  lua_close(L);
  return sum;
}
