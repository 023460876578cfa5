/*
 * parley_lua.c — the boundary between Swift and Lua.
 *
 * THE ERROR SCHEME
 * Lua reports errors with longjmp. A longjmp across a Swift frame skips Swift's
 * cleanup (retain/release, defer, exclusivity bookkeeping) and corrupts the
 * process. So Parley keeps one invariant: between a longjmp's setjmp (inside
 * lua_pcall or lua_load) and the point that raises, there is never a Swift
 * frame. Three mechanisms hold it:
 *
 *  1. Swift runs Lua only through pl_pcall and pl_load, which are protected:
 *     every error, from Lua code or from C library functions, ends in the
 *     lua_pcall/lua_load that this file called, and comes back as a status.
 *
 *  2. Swift functions called from Lua go through pl_swift_trampoline. Swift
 *     never raises: it returns the number of results, or -1 with a message on
 *     the stack. The trampoline (C) calls lua_error only after Swift has
 *     returned.
 *
 *  3. The only errors the Lua API can raise from a push are allocation
 *     failures. The allocator enforces the memory ceiling only while Lua code
 *     runs (`enforcing`), and switches it off while Swift runs: at the top
 *     level, inside the trampoline and in the message handler. Swift's pushes
 *     therefore never trip the ceiling; they fail only if the process itself
 *     is out of memory, which the panic handler turns into an abort with a
 *     message rather than a jump into Swift. Swift reads values back with the
 *     raw API only (lua_type, lua_rawget, lua_next, lua_tolstring on strings),
 *     which never raises and never runs a metamethod.
 *
 * BUDGETS
 * Every pl_pcall carries an instruction budget and a deadline, checked by a
 * count hook. The hook only checks and raises; it never calls into Swift.
 * Once a budget is exceeded the state remembers it (`exceeded`) until the
 * call returns: the hook then fires on every instruction and raises again, so
 * a rule that catches the error with pcall, or runs code in a __close handler
 * while the error unwinds, is stopped again at once. The host judges the call
 * by that flag, not by what lua_pcall returned. C library functions cannot be
 * interrupted by the hook, so the sandbox replaces those that can run long
 * (patterns, rep, table loops) with versions that charge their work to the
 * same budget through pl_charge.
 */

#include "parley_lua.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { PL_HOOK_PERIOD = 1000 };

/* --- Clock ----------------------------------------------------------------- */

static int64_t pl_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* --- The counting allocator --------------------------------------------------- */

/* A block of `size` bytes: small ones from the state's free lists
 * (parley_blocks.c), others from malloc. */
static void *pl_take(pl_state *s, size_t size) {
  return pl_blocks_small(size) ? pl_blocks_take(&s->blocks, size) : malloc(size);
}

static void pl_give(pl_state *s, void *ptr, size_t size) {
  if (pl_blocks_small(size))
    pl_blocks_give(&s->blocks, ptr, size);
  else
    free(ptr);
}

/* Lua always says how large the block it frees or resizes is (`osize`), so
 * the class of a small block need not be stored with it. */
static void *pl_resize(pl_state *s, void *ptr, size_t old, size_t size) {
  if (ptr == NULL) return pl_take(s, size);
  int was_small = pl_blocks_small(old), small = pl_blocks_small(size);
  if (!was_small && !small) return realloc(ptr, size);
  if (was_small && small && pl_blocks_same_class(old, size)) return ptr;
  void *block = pl_take(s, size);
  if (block == NULL) return NULL;
  memcpy(block, ptr, old < size ? old : size);
  pl_give(s, ptr, old);
  return block;
}

static void *pl_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
  pl_state *s = ud;
  size_t old = ptr ? osize : 0; /* when ptr is NULL, osize is a type tag */
  if (nsize == 0) {
    if (ptr != NULL) pl_give(s, ptr, old);
    s->used -= old;
    return NULL;
  }
  if (nsize > old && s->enforcing) {
    /* Sticky: after one refusal, refuse all growth until the call ends. */
    if (s->exceeded == PL_BUDGET_MEMORY || s->used + (nsize - old) > s->limit) {
      if (s->exceeded == PL_BUDGET_NONE) s->exceeded = PL_BUDGET_MEMORY;
      return NULL;
    }
  }
  void *block = pl_resize(s, ptr, old, nsize);
  if (block == NULL) return NULL;
  s->used = s->used - old + nsize;
  if (s->used > s->peak) s->peak = s->used;
  return block;
}

static int pl_panic(lua_State *L) {
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "?";
  fprintf(stderr, "parley: unprotected Lua error (%s); aborting\n", msg);
  abort();
  return 0;
}

pl_state *pl_state_of(lua_State *L) {
  return *(pl_state **)lua_getextraspace(L);
}

/* --- Budgets ----------------------------------------------------------------- */

static const char *pl_budget_text(pl_budget_kind kind) {
  switch (kind) {
  case PL_BUDGET_INSTRUCTIONS: return "instruction budget exceeded";
  case PL_BUDGET_TIME: return "time budget exceeded";
  case PL_BUDGET_MEMORY: return "memory budget exceeded";
  default: return "budget exceeded";
  }
}

/* Raises the budget error with the position of stack `level`. The message is
 * built with the ceiling lifted: it is the host's text, and it must not turn
 * into a memory error of its own. */
static int pl_raise_budget(lua_State *L, pl_state *s, int level) {
  int was = s->enforcing;
  s->enforcing = 0;
  luaL_where(L, level);
  lua_pushstring(L, pl_budget_text(s->exceeded));
  lua_concat(L, 2);
  s->enforcing = was;
  return lua_error(L);
}

static void pl_hook(lua_State *L, lua_Debug *ar) {
  (void)ar;
  pl_state *s = pl_state_of(L);
  if (s->exceeded == PL_BUDGET_NONE) {
    s->instructions_used += s->hook_period;
    if (s->instructions_used >= s->instruction_limit) {
      s->exceeded = PL_BUDGET_INSTRUCTIONS;
    } else if (s->deadline_ns != 0 && pl_now_ns() >= s->deadline_ns) {
      s->exceeded = PL_BUDGET_TIME;
    } else {
      return;
    }
  }
  /* From now on, stop at every instruction until control is back in C. */
  if (s->hook_period != 1) {
    s->hook_period = 1;
    lua_sethook(L, pl_hook, LUA_MASKCOUNT, 1);
  }
  pl_raise_budget(L, s, 0);
}

void pl_charge(lua_State *L, int64_t steps) {
  pl_state *s = pl_state_of(L);
  if (s->exceeded == PL_BUDGET_NONE) {
    s->instructions_used += steps;
    /* The clock is read once per hook period of charged work, as the hook
     * does: a plain string.find charges a few steps and must not pay a
     * clock read for them. */
    if (s->instructions_used >= s->instruction_limit) {
      s->exceeded = PL_BUDGET_INSTRUCTIONS;
    } else if (s->deadline_ns != 0 && s->instructions_used >= s->next_clock_check &&
               (s->next_clock_check = s->instructions_used + PL_HOOK_PERIOD,
                pl_now_ns() >= s->deadline_ns)) {
      s->exceeded = PL_BUDGET_TIME;
    } else {
      return;
    }
  }
  pl_raise_budget(L, s, 1);
}

/* --- Protected calls ------------------------------------------------------------ */

/* Turns any error value into "message\nstack traceback:\n...". It never calls
 * a metamethod of the error object (a rule's __tostring could loop or raise)
 * and it runs with the ceiling lifted, as host code. */
static int pl_message_handler(lua_State *L) {
  pl_state *s = pl_state_of(L);
  int was = s->enforcing;
  s->enforcing = 0;
  const char *msg;
  switch (lua_type(L, 1)) {
  case LUA_TSTRING:
    msg = lua_tostring(L, 1);
    break;
  case LUA_TNUMBER:
    lua_pushvalue(L, 1);
    msg = lua_tostring(L, -1); /* converts the copy, not the original */
    break;
  default:
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    break;
  }
  luaL_traceback(L, L, msg, 1);
  s->enforcing = was;
  return 1;
}

static int pl_is_forbidden_message(lua_State *L) {
  const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
  return msg != NULL && strstr(msg, "is not available in the Parley sandbox") != NULL;
}

/* What a call's outcome was, from lua_pcall's code and the host's flags. */
static pl_status pl_call_status(pl_state *s, int rc, int base) {
  lua_State *L = s->L;
  if (s->exceeded != PL_BUDGET_NONE) {
    if (rc == LUA_OK) {
      /* The rule swallowed every raise and returned: its results don't count. */
      lua_settop(L, base - 1);
      lua_pushstring(L, pl_budget_text(s->exceeded));
    } else if (rc != LUA_ERRRUN) {
      /* "not enough memory" or "error in error handling": no message handler
       * ran, so say which budget it was. */
      lua_pop(L, 1);
      lua_pushstring(L, pl_budget_text(s->exceeded));
    }
    return PL_ERROR_BUDGET;
  }
  if (rc == LUA_OK) return PL_OK;
  if (s->forbidden_raised && pl_is_forbidden_message(L)) return PL_ERROR_FORBIDDEN;
  return PL_ERROR_RUNTIME;
}

pl_status pl_pcall(pl_state *s, int nargs, int nresults,
                   int64_t instruction_limit, int64_t time_limit_ns) {
  lua_State *L = s->L;
  int base = lua_gettop(L) - nargs; /* the function's index */
  lua_pushcfunction(L, pl_message_handler);
  lua_insert(L, base);

  s->instruction_limit = instruction_limit > 0 ? instruction_limit : INT64_MAX;
  s->instructions_used = 0;
  s->next_clock_check = 0;
  int64_t started = pl_now_ns();
  s->deadline_ns = time_limit_ns > 0 ? started + time_limit_ns : 0;
  s->exceeded = PL_BUDGET_NONE;
  s->forbidden_raised = 0;
  s->hook_period = (instruction_limit > 0 && instruction_limit < PL_HOOK_PERIOD)
                       ? (int)instruction_limit
                       : PL_HOOK_PERIOD;
  lua_sethook(L, pl_hook, LUA_MASKCOUNT, s->hook_period);

  s->enforcing = 1;
  int rc = lua_pcall(L, nargs, nresults < 0 ? LUA_MULTRET : nresults, base);
  s->enforcing = 0;
  s->last_call_ns = pl_now_ns() - started;
  lua_sethook(L, NULL, 0, 0);
  lua_remove(L, base);
  return pl_call_status(s, rc, base);
}

pl_status pl_pcall_host(pl_state *s, int nargs, int nresults) {
  lua_State *L = s->L;
  int base = lua_gettop(L) - nargs;
  lua_pushcfunction(L, pl_message_handler);
  lua_insert(L, base);
  /* No count hook (it would stop at every instruction) and no clock: the
   * code is the host's. The matcher may still charge steps: never to a
   * budget a rule left behind. */
  s->instruction_limit = INT64_MAX;
  s->instructions_used = 0;
  s->next_clock_check = 0;
  s->deadline_ns = 0;
  s->exceeded = PL_BUDGET_NONE;
  s->forbidden_raised = 0;
  s->enforcing = 1;
  int rc = lua_pcall(L, nargs, nresults < 0 ? LUA_MULTRET : nresults, base);
  s->enforcing = 0;
  lua_remove(L, base);
  return pl_call_status(s, rc, base);
}

pl_status pl_load(pl_state *s, const char *source, size_t length,
                  const char *chunk_name, int env_index) {
  lua_State *L = s->L;
  if (env_index < 0) env_index = lua_absindex(L, env_index);
  const char *name = chunk_name[0] == '@' || chunk_name[0] == '=' ? chunk_name + 1 : chunk_name;
  if (length > s->max_source_size) {
    lua_pushfstring(L, "%s: source is %I bytes; the limit is %I bytes", name,
                    (lua_Integer)length, (lua_Integer)s->max_source_size);
    return PL_ERROR_TOO_LARGE;
  }
  if (length > 0 && source[0] == LUA_SIGNATURE[0]) {
    lua_pushfstring(L, "%s: precompiled (binary) chunks are never loaded; load the Lua source", name);
    return PL_ERROR_BINARY;
  }
  s->exceeded = PL_BUDGET_NONE;
  s->enforcing = 1; /* the parser's memory counts against the ceiling */
  int rc = luaL_loadbufferx(L, source, length, chunk_name, "t");
  s->enforcing = 0;
  if (rc != LUA_OK) {
    if (s->exceeded != PL_BUDGET_NONE) {
      lua_pop(L, 1);
      lua_pushfstring(L, "%s: %s while parsing", name, pl_budget_text(s->exceeded));
      return PL_ERROR_BUDGET;
    }
    return PL_ERROR_SYNTAX;
  }
  if (env_index != 0) {
    lua_pushvalue(L, env_index);
    if (lua_setupvalue(L, -2, 1) == NULL) lua_pop(L, 1); /* no _ENV upvalue */
  }
  return PL_OK;
}

/* --- Swift functions ------------------------------------------------------------- */

static int pl_swift_trampoline(lua_State *L) {
  pl_state *s = pl_state_of(L);
  int id = (int)lua_tointeger(L, lua_upvalueindex(1));
  int was = s->enforcing;
  s->enforcing = 0; /* Swift's pushes must not fail half way */
  int n = s->dispatch(L, id);
  s->enforcing = was;
  if (n < 0) {
    /* Swift has returned: raising is safe now. Prefix the caller's position. */
    luaL_where(L, 1);
    lua_insert(L, -2);
    lua_concat(L, 2);
    return lua_error(L);
  }
  return n;
}

void pl_push_swift_function(lua_State *L, int function_id) {
  lua_pushinteger(L, function_id);
  lua_pushcclosure(L, pl_swift_trampoline, 1);
}

pl_status pl_set_random_seed(pl_state *s, int64_t seed) {
  s->random_seed = seed;
  s->random_pending = 1;
  return PL_OK;
}

/* --- State --------------------------------------------------------------------------- */

int pl_sandbox_setup(lua_State *L); /* parley_sandbox.c */

pl_state *pl_state_open(size_t memory_limit, size_t max_source_size,
                        pl_swift_dispatch dispatch, void *owner) {
  pl_state *s = calloc(1, sizeof *s);
  if (s == NULL) return NULL;
  s->limit = memory_limit;
  s->max_source_size = max_source_size;
  s->dispatch = dispatch;
  s->owner = owner;
  lua_State *L = lua_newstate(pl_alloc, s);
  if (L == NULL) {
    pl_blocks_release(&s->blocks);
    free(s);
    return NULL;
  }
  s->L = L;
  *(pl_state **)lua_getextraspace(L) = s;
  lua_atpanic(L, pl_panic);
  lua_pushcfunction(L, pl_sandbox_setup);
  if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
    lua_close(L);
    pl_blocks_release(&s->blocks);
    free(s);
    return NULL;
  }
  return s;
}

void pl_state_close(pl_state *s) {
  if (s == NULL) return;
  lua_close(s->L);
  pl_blocks_release(&s->blocks);
  free(s);
}
