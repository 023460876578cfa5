#ifndef PARLEY_CLUA_SHIM_H
#define PARLEY_CLUA_SHIM_H
/* Debian's Lua 5.4 headers; pkg-config lua5.4 puts /usr/include/lua5.4 on the
 * include path. Swift code does not use these directly: CParleyLua wraps the
 * macros Swift cannot import and owns every call that may raise. */
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#endif
