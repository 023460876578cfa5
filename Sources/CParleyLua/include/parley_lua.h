#ifndef PARLEY_LUA_H
#define PARLEY_LUA_H

/*
 * CParleyLua: the few things Parley must write in C.
 *
 *  - wrappers for Lua API macros that Swift cannot import;
 *  - pl_state: a Lua state with a counting allocator, a budget and a link to
 *    its Swift owner;
 *  - pl_pcall / pl_load: the only ways Swift runs Lua code;
 *  - pl_push_swift_function: Swift functions callable from Lua, through a C
 *    trampoline that raises Lua errors only after Swift has returned;
 *  - the sandbox: per-chunk environments and bounded library functions.
 *
 * See parley_lua.c for the error-handling scheme.
 */

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stddef.h>
#include <stdint.h>

/* Why a call was stopped. Sticky for the rest of a call: see parley_lua.c. */
typedef enum {
  PL_BUDGET_NONE = 0,
  PL_BUDGET_INSTRUCTIONS = 1,
  PL_BUDGET_TIME = 2,
  PL_BUDGET_MEMORY = 3,
} pl_budget_kind;

/* What a protected call or a load returned. */
typedef enum {
  PL_OK = 0,
  PL_ERROR_SYNTAX = 1,
  PL_ERROR_RUNTIME = 2,
  PL_ERROR_BUDGET = 3,    /* see pl_state.exceeded for which budget */
  PL_ERROR_FORBIDDEN = 4, /* a rule reached for a name the sandbox removed */
  PL_ERROR_TOO_LARGE = 5, /* source over the size cap; nothing was parsed */
  PL_ERROR_BINARY = 6,    /* a precompiled chunk; never loaded */
} pl_status;

/*
 * A Swift function exposed to Lua. It reads its arguments from the stack and
 * pushes its results. It returns the number of results, or -1 after pushing an
 * error message (a string). It must not raise a Lua error itself: it only
 * calls API functions that cannot raise, or that raise only on allocation
 * failure, which cannot happen while the allocator is not enforcing.
 */
typedef int (*pl_swift_dispatch)(lua_State *L, int function_id);

/* Host-owned state attached to every lua_State Parley creates. */
/* --- Small blocks (parley_blocks.c) ------------------------------------------ */

enum { PL_BLOCK_GRAIN = 16, PL_BLOCK_MAX = 256 };

/* Free lists of blocks of up to PL_BLOCK_MAX bytes, one per 16-byte class,
 * and the slab the next new block is cut from. */
typedef struct pl_blocks {
  struct pl_free_block *free[PL_BLOCK_MAX / PL_BLOCK_GRAIN];
  char *cursor, *end;
  union pl_slab *slabs;
} pl_blocks;

/* Whether a block of `size` (> 0) bytes comes from the free lists. */
int pl_blocks_small(size_t size);
/* Whether two small sizes share a class, so a block of one fits the other. */
int pl_blocks_same_class(size_t a, size_t b);
/* A block for `size` small bytes; NULL when the system is out of memory. */
void *pl_blocks_take(pl_blocks *blocks, size_t size);
/* Gives back a block taken for `size` bytes. */
void pl_blocks_give(pl_blocks *blocks, void *ptr, size_t size);
/* Frees every slab; the lists are empty afterwards. */
void pl_blocks_release(pl_blocks *blocks);

typedef struct pl_state {
  lua_State *L;
  void *owner;                /* Unmanaged<LuaState> of the Swift owner */
  pl_swift_dispatch dispatch; /* the Swift side of every host function */

  /* Memory: `used` is exact; `limit` applies only while `enforcing`. */
  size_t used;
  size_t peak;
  size_t limit;
  int enforcing;
  pl_blocks blocks; /* where Lua's small blocks come from */

  /* Budget of the current call. */
  int64_t instruction_limit;
  int64_t instructions_used;
  int64_t deadline_ns; /* CLOCK_MONOTONIC; 0 = none */
  int64_t next_clock_check; /* pl_charge reads the clock past this many */
  int hook_period;
  pl_budget_kind exceeded;
  int64_t last_call_ns; /* how long the last pl_pcall ran: per-rule costs */

  /* math.random is seeded with `random_seed` on its first draw after
   * pl_set_random_seed (`random_pending`): most events draw nothing. */
  int64_t random_seed;
  int random_pending;

  /* Set when a rule touched a name the sandbox does not provide. */
  int forbidden_raised;
  size_t max_source_size;
} pl_state;

/* --- State ------------------------------------------------------------- */

/* Creates a state with the counting allocator and the sandbox templates.
 * Returns NULL only when the system is out of memory. */
pl_state *pl_state_open(size_t memory_limit, size_t max_source_size,
                        pl_swift_dispatch dispatch, void *owner);
void pl_state_close(pl_state *state);
pl_state *pl_state_of(lua_State *L);

/* --- Running code -------------------------------------------------------- */

/* Loads a text chunk (binary refused) named `chunk_name` (use "@path" for a
 * file so messages read "path:line: ..."). On success the function is on the
 * stack; when `env_index` is non-zero, its _ENV is the table at that index.
 * On failure the error message is on the stack. */
pl_status pl_load(pl_state *state, const char *source, size_t length,
                  const char *chunk_name, int env_index);

/* Calls the function below `nargs` arguments under the budget. On success the
 * results are on the stack (LUA_MULTRET when nresults < 0). On failure one
 * string is left: the message, then "\nstack traceback:\n" and the traceback.
 * The call is judged by the host's own flags, not only by lua_pcall's code. */
pl_status pl_pcall(pl_state *state, int nargs, int nresults,
                   int64_t instruction_limit, int64_t time_limit_ns);

/* Calls the function below `nargs` arguments as pl_pcall does, for the
 * host's own Lua (the rule API's views): under the memory ceiling, with no
 * instruction or time budget, so no count hook and no clock. Never for a
 * rule's code. */
pl_status pl_pcall_host(pl_state *state, int nargs, int nresults);

/* Pushes a C closure that calls `dispatch(L, function_id)`. */
void pl_push_swift_function(lua_State *L, int function_id);

/* Seeds the sandbox's math.random (the real math.randomseed, kept hidden)
 * for the draws that follow; the seeding itself waits for the first draw. */
pl_status pl_set_random_seed(pl_state *state, int64_t seed);

/* --- The sandbox ----------------------------------------------------------- */

/* Pushes a new environment: whitelisted base functions, fresh copies of
 * string, table, math and utf8 (bounded versions), copies of the host modules
 * registered with pl_register_module_function, and a protected metatable that
 * reports forbidden names. */
void pl_new_environment(pl_state *state);

/* Adds the function on top of the stack to host module `module` (NULL: a
 * global of every environment created afterwards). Pops the function. */
void pl_register_host_function(pl_state *state, const char *module,
                               const char *name);

/* Registers `module.name(backing, view_metatable, lazy, slow)`, which returns a C
 * __index function for read-only views (see parley_view.c). */
void pl_register_view_index(pl_state *state, const char *module, const char *name);

/* Called from C library guards: charges `steps` to the instruction budget and
 * checks the deadline; raises the budget error when over. */
void pl_charge(lua_State *L, int64_t steps);

/* Opens Parley's bounded string functions (find, match, gmatch, gsub) into
 * the table on top of the stack. Defined in parley_pattern.c. */
void pl_open_patterns(lua_State *L);

/* --- Macro wrappers Swift cannot import ----------------------------------- */

static inline int pl_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline int pl_upvalueindex(int i) { return lua_upvalueindex(i); }
static inline void pl_pop(lua_State *L, int n) { lua_pop(L, n); }
static inline void pl_newtable(lua_State *L) { lua_newtable(L); }
static inline int pl_isnoneornil(lua_State *L, int i) {
  return lua_isnoneornil(L, i);
}
static inline const char *pl_tolstring(lua_State *L, int i, size_t *len) {
  /* Only for values already known to be strings: never converts. */
  return lua_type(L, i) == LUA_TSTRING ? lua_tolstring(L, i, len) : NULL;
}
static inline lua_Integer pl_tointeger(lua_State *L, int i, int *isnum) {
  return lua_tointegerx(L, i, isnum);
}
static inline lua_Number pl_tonumber(lua_State *L, int i) {
  return lua_tonumberx(L, i, NULL);
}
static inline void pl_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT); }
static inline void pl_insert(lua_State *L, int i) { lua_insert(L, i); }
static inline void pl_remove(lua_State *L, int i) { lua_remove(L, i); }
static inline const char *pl_typename(lua_State *L, int i) {
  return lua_typename(L, lua_type(L, i));
}

#endif
