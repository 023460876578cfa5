#include "rule_baseline.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The rule API reduced to what a bare host needs: `rule` collects the rule
 * declarations, the verdict and effect helpers build the same tables as
 * Parley's. No views, no checks, no budgets. */
static const char *const SHIM =
    "local declared = {}\n"
    "function rule(spec) declared[#declared + 1] = spec end\n"
    "local function verdict(name)\n"
    "  return function(reason) return { kind = 'verdict', verdict = name, reason = reason } end\n"
    "end\n"
    "allow, flag, hold, remove = verdict('allow'), verdict('flag'), verdict('hold'), verdict('remove')\n"
    "function tag(name) return { kind = 'tag', name = name } end\n"
    "function route(team, reason) return { kind = 'route', team = team, reason = reason } end\n"
    "function notify(team, text) return { kind = 'notify', team = team, text = text } end\n"
    "function reply(text, opts)\n"
    "  return { kind = 'reply', text = text, purpose = opts and opts.purpose or 'support' }\n"
    "end\n"
    "function score(points, reason, member)\n"
    "  return { kind = 'score', points = points, reason = reason, member = member }\n"
    "end\n"
    "return function() local d = declared; declared = {}; return d end\n";

typedef struct {
  char *id, *name, *role, *affiliation;
  int64_t joined_at, trust, score;
  int support, news, offers;
  int64_t posts, replies_to_others, replies_received, questions_asked, questions_answered;
} member_t;

typedef struct {
  char *id, *title, *opener, *status;
} thread_t;

typedef struct {
  char *id, *thread_id, *author_id, *reply_to, *text;
  int64_t created_at;
  int sponsored, automated;
  int member, thread; /* indexes, resolved while reading */
} message_t;

typedef struct {
  char *community_id, *community_name;
  member_t *members;
  int member_count;
  thread_t *threads;
  int thread_count;
  message_t *messages;
  int message_count;
} corpus_t;

static void fail(rb_result *r, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(r->error, sizeof r->error, format, args);
  va_end(args);
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void free_corpus(corpus_t *c) {
  for (int i = 0; i < c->member_count; i++) {
    member_t *m = &c->members[i];
    free(m->id), free(m->name), free(m->role), free(m->affiliation);
  }
  for (int i = 0; i < c->thread_count; i++) {
    thread_t *t = &c->threads[i];
    free(t->id), free(t->title), free(t->opener), free(t->status);
  }
  for (int i = 0; i < c->message_count; i++) {
    message_t *p = &c->messages[i];
    free(p->id), free(p->thread_id), free(p->author_id), free(p->reply_to), free(p->text);
  }
  free(c->members), free(c->threads), free(c->messages);
  free(c->community_id), free(c->community_name);
}

/* Splits a line at tabs in place; returns the field count. */
static int split(char *line, char **fields, int max) {
  int n = 0;
  fields[n++] = line;
  for (char *p = line; *p && n < max; p++) {
    if (*p == '\t') {
      *p = '\0';
      fields[n++] = p + 1;
    }
  }
  return n;
}

static char *copy(const char *s) { return *s ? strdup(s) : NULL; }

static int find_member(const corpus_t *c, const char *id) {
  for (int i = 0; i < c->member_count; i++)
    if (strcmp(c->members[i].id, id) == 0) return i;
  return -1;
}

static int read_corpus(const char *path, corpus_t *c, rb_result *r) {
  memset(c, 0, sizeof *c);
  FILE *f = fopen(path, "r");
  if (!f) {
    fail(r, "%s: cannot open the corpus", path);
    return -1;
  }
  size_t cap_m = 0, cap_t = 0, cap_p = 0;
  char *line = NULL;
  size_t line_cap = 0;
  ssize_t length;
  int line_number = 0;
  /* Thread ids are "thread-N" and member ids "member-N" in the synthetic
   * corpus, but look them up by name so any corpus works; a small index by
   * position keeps reading fast. */
  while ((length = getline(&line, &line_cap, f)) > 0) {
    line_number++;
    if (line[length - 1] == '\n') line[length - 1] = '\0';
    char *fields[24];
    int n = split(line, fields, 24);
    switch (line[0]) {
    case 'C':
      if (n < 3) goto bad;
      c->community_id = strdup(fields[1]);
      c->community_name = strdup(fields[2]);
      break;
    case 'M': {
      if (n < 16) goto bad;
      if ((size_t)c->member_count == cap_m) {
        cap_m = cap_m ? cap_m * 2 : 1024;
        c->members = realloc(c->members, cap_m * sizeof *c->members);
      }
      member_t *m = &c->members[c->member_count++];
      m->id = strdup(fields[1]);
      m->name = strdup(fields[2]);
      m->role = strdup(fields[3]);
      m->affiliation = copy(fields[4]);
      m->joined_at = atoll(fields[5]);
      m->trust = atoll(fields[6]);
      m->score = atoll(fields[7]);
      m->support = atoi(fields[8]);
      m->news = atoi(fields[9]);
      m->offers = atoi(fields[10]);
      m->posts = atoll(fields[11]);
      m->replies_to_others = atoll(fields[12]);
      m->replies_received = atoll(fields[13]);
      m->questions_asked = atoll(fields[14]);
      m->questions_answered = atoll(fields[15]);
      break;
    }
    case 'T': {
      if (n < 5) goto bad;
      if ((size_t)c->thread_count == cap_t) {
        cap_t = cap_t ? cap_t * 2 : 1024;
        c->threads = realloc(c->threads, cap_t * sizeof *c->threads);
      }
      thread_t *t = &c->threads[c->thread_count++];
      t->id = strdup(fields[1]);
      t->title = strdup(fields[2]);
      t->opener = strdup(fields[3]);
      t->status = strdup(fields[4]);
      break;
    }
    case 'P': {
      if (n < 11) goto bad;
      if ((size_t)c->message_count == cap_p) {
        cap_p = cap_p ? cap_p * 2 : 4096;
        c->messages = realloc(c->messages, cap_p * sizeof *c->messages);
      }
      message_t *p = &c->messages[c->message_count++];
      p->id = strdup(fields[1]);
      p->thread_id = strdup(fields[2]);
      p->author_id = strdup(fields[3]);
      p->created_at = atoll(fields[4]);
      p->reply_to = copy(fields[5]);
      p->sponsored = atoi(fields[6]);
      p->automated = atoi(fields[7]);
      p->member = atoi(fields[8]);
      p->thread = atoi(fields[9]);
      p->text = strdup(fields[10]);
      if (p->member < 0 || p->member >= c->member_count ||
          strcmp(c->members[p->member].id, p->author_id) != 0)
        p->member = find_member(c, p->author_id);
      if (p->member < 0 || p->thread < 0 || p->thread >= c->thread_count) goto bad;
      break;
    }
    default:
      goto bad;
    }
  }
  free(line);
  fclose(f);
  return 0;
bad:
  fail(r, "%s:%d: not a corpus line", path, line_number);
  free(line);
  fclose(f);
  return -1;
}

typedef struct {
  int settings;   /* registry reference */
  int *checks;    /* registry references of the message_posted rules */
  int check_count;
} plugin_t;

static void free_plugins(plugin_t *plugins, int count) {
  for (int i = 0; i < count; i++) free(plugins[i].checks);
  free(plugins);
}

static int listens_to_posts(lua_State *L, int spec) {
  lua_getfield(L, spec, "on");
  int found = 0;
  if (lua_type(L, -1) == LUA_TSTRING) {
    found = strcmp(lua_tostring(L, -1), "message_posted") == 0;
  } else if (lua_type(L, -1) == LUA_TTABLE) {
    lua_Integer n = luaL_len(L, -1);
    for (lua_Integer i = 1; i <= n && !found; i++) {
      lua_geti(L, -1, i);
      found = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "message_posted") == 0;
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  return found;
}

static int load_plugin(lua_State *L, int collect, const char *folder, plugin_t *p, rb_result *r) {
  char path[4096];
  snprintf(path, sizeof path, "%s/plugin.lua", folder);
  if (luaL_dofile(L, path) != LUA_OK) {
    fail(r, "%s", lua_tostring(L, -1));
    return -1;
  }
  int manifest = lua_gettop(L);
  /* Settings: every default, as Parley builds them for a community without overrides. */
  lua_newtable(L);
  lua_getfield(L, manifest, "settings");
  if (lua_type(L, -1) == LUA_TTABLE) {
    lua_pushnil(L);
    while (lua_next(L, -2)) {
      lua_getfield(L, -1, "default");
      lua_pushvalue(L, -3);
      lua_insert(L, -2);
      lua_settable(L, -6);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
  p->settings = luaL_ref(L, LUA_REGISTRYINDEX);

  p->checks = NULL;
  p->check_count = 0;
  lua_getfield(L, manifest, "rules");
  lua_Integer files = lua_type(L, -1) == LUA_TTABLE ? luaL_len(L, -1) : 0;
  for (lua_Integer i = 1; i <= files; i++) {
    lua_geti(L, -1, i);
    snprintf(path, sizeof path, "%s/%s", folder, lua_tostring(L, -1));
    lua_pop(L, 1);
    if (luaL_dofile(L, path) != LUA_OK) {
      fail(r, "%s", lua_tostring(L, -1));
      return -1;
    }
  }
  lua_pop(L, 2); /* rules list, manifest */
  lua_rawgeti(L, LUA_REGISTRYINDEX, collect);
  lua_call(L, 0, 1);
  lua_Integer declared = luaL_len(L, -1);
  p->checks = calloc((size_t)declared + 1, sizeof *p->checks);
  for (lua_Integer i = 1; i <= declared; i++) {
    lua_geti(L, -1, i);
    if (listens_to_posts(L, lua_gettop(L))) {
      lua_getfield(L, -1, "check");
      p->checks[p->check_count++] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return 0;
}

static void set_string(lua_State *L, const char *key, const char *value) {
  if (!value) return;
  lua_pushstring(L, value);
  lua_setfield(L, -2, key);
}

static void set_integer(lua_State *L, const char *key, int64_t value) {
  lua_pushinteger(L, value);
  lua_setfield(L, -2, key);
}

static void set_boolean(lua_State *L, const char *key, int value) {
  lua_pushboolean(L, value);
  lua_setfield(L, -2, key);
}

static void push_event(lua_State *L, const message_t *m) {
  lua_createtable(L, 0, 2);
  set_string(L, "kind", "message_posted");
  lua_createtable(L, 0, 8);
  set_string(L, "id", m->id);
  set_string(L, "thread", m->thread_id);
  set_string(L, "author", m->author_id);
  set_string(L, "text", m->text);
  set_integer(L, "created_at", m->created_at);
  set_string(L, "reply_to", m->reply_to);
  set_boolean(L, "sponsored", m->sponsored);
  set_boolean(L, "automated", m->automated);
  lua_setfield(L, -2, "message");
}

static void push_context(lua_State *L, const corpus_t *c, const message_t *p) {
  const member_t *m = &c->members[p->member];
  const thread_t *t = &c->threads[p->thread];
  lua_createtable(L, 0, 4);
  lua_createtable(L, 0, 2);
  set_string(L, "id", c->community_id);
  set_string(L, "name", c->community_name);
  lua_setfield(L, -2, "community");

  lua_createtable(L, 0, 9);
  set_string(L, "id", m->id);
  set_string(L, "name", m->name);
  set_string(L, "role", m->role);
  set_string(L, "affiliation", m->affiliation);
  set_integer(L, "joined_at", m->joined_at);
  set_integer(L, "trust", m->trust);
  set_integer(L, "score", m->score);
  lua_createtable(L, 0, 3);
  set_boolean(L, "support", m->support);
  set_boolean(L, "news", m->news);
  set_boolean(L, "offers", m->offers);
  lua_setfield(L, -2, "consents");
  lua_createtable(L, 0, 5);
  set_integer(L, "posts", m->posts);
  set_integer(L, "replies_to_others", m->replies_to_others);
  set_integer(L, "replies_received", m->replies_received);
  set_integer(L, "questions_asked", m->questions_asked);
  set_integer(L, "questions_answered", m->questions_answered);
  lua_setfield(L, -2, "history");
  lua_setfield(L, -2, "member");

  lua_createtable(L, 0, 4);
  set_string(L, "id", t->id);
  set_string(L, "title", t->title);
  set_string(L, "status", t->status);
  set_string(L, "opener", t->opener);
  lua_setfield(L, -2, "thread");
}

static int severity(lua_State *L, int index) {
  if (lua_type(L, index) != LUA_TTABLE) return -1;
  lua_getfield(L, index, "kind");
  int is_verdict = lua_type(L, -1) == LUA_TSTRING && strcmp(lua_tostring(L, -1), "verdict") == 0;
  lua_pop(L, 1);
  if (!is_verdict) return -1;
  lua_getfield(L, index, "verdict");
  const char *v = lua_tostring(L, -1);
  int s = !v ? -1
          : strcmp(v, "remove") == 0 ? RB_REMOVE
          : strcmp(v, "hold") == 0   ? RB_HOLD
          : strcmp(v, "flag") == 0   ? RB_FLAG
                                     : RB_ALLOW;
  lua_pop(L, 1);
  return s;
}

/* One thread's share of the run: its own Lua state with every plugin
 * loaded, and every `stride`-th event from `first`, as Parley's lanes share
 * one queue. */
/* Where the lanes wait, loaded, until every one is: the timed part starts
 * together. `go` is 0 while they wait, 1 to start, -1 to stop without
 * running (a thread could not be started). */
typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t changed;
  int ready;
  int go;
} gate_t;

typedef struct {
  const corpus_t *corpus;
  const char *const *plugin_folders;
  int plugin_count;
  int first, stride;
  gate_t *gate;     /* NULL for a run on one thread */
  rb_result result; /* its verdicts, heap and error */
  int64_t started_ns, ended_ns;
  int status;
} lane_t;

/* Waits at the gate; returns its `go`. */
static int wait_at_gate(gate_t *gate) {
  pthread_mutex_lock(&gate->lock);
  gate->ready++;
  pthread_cond_broadcast(&gate->changed);
  while (gate->go == 0) pthread_cond_wait(&gate->changed, &gate->lock);
  int go = gate->go;
  pthread_mutex_unlock(&gate->lock);
  return go;
}

/* Waits until `lanes` lanes are at the gate, then opens it with `go`. */
static void open_gate(gate_t *gate, int lanes, int go) {
  pthread_mutex_lock(&gate->lock);
  while (gate->ready < lanes) pthread_cond_wait(&gate->changed, &gate->lock);
  gate->go = go;
  pthread_cond_broadcast(&gate->changed);
  pthread_mutex_unlock(&gate->lock);
}

static void run_events(lua_State *L, plugin_t *plugins, lane_t *lane) {
  const corpus_t *corpus = lane->corpus;
  rb_result *result = &lane->result;
  for (int e = lane->first; e < corpus->message_count; e += lane->stride) {
    const message_t *m = &corpus->messages[e];
    push_event(L, m);
    int event = lua_gettop(L);
    push_context(L, corpus, m);
    int context = lua_gettop(L);
    int decided = RB_ALLOW;
    for (int p = 0; p < lane->plugin_count; p++) {
      lua_rawgeti(L, LUA_REGISTRYINDEX, plugins[p].settings);
      lua_setfield(L, context, "settings");
      for (int k = 0; k < plugins[p].check_count; k++) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, plugins[p].checks[k]);
        lua_pushvalue(L, event);
        lua_pushvalue(L, context);
        if (lua_pcall(L, 2, LUA_MULTRET, 0) != LUA_OK) {
          fail(result, "%s: %s", lane->plugin_folders[p], lua_tostring(L, -1));
          lane->status = -1;
          return;
        }
        for (int i = context + 1; i <= lua_gettop(L); i++) {
          int s = severity(L, i);
          if (s > decided) decided = s;
        }
        lua_settop(L, context);
      }
    }
    result->verdicts[decided]++;
    result->events++;
    lua_settop(L, 0);
  }
}

static void *run_lane(void *argument) {
  lane_t *lane = argument;
  plugin_t *plugins = calloc((size_t)lane->plugin_count, sizeof *plugins);
  lua_State *L = luaL_newstate();
  luaL_openlibs(L);
  if (luaL_dostring(L, SHIM) != LUA_OK) {
    fail(&lane->result, "shim: %s", lua_tostring(L, -1));
    lane->status = -1;
  } else {
    int collect = luaL_ref(L, LUA_REGISTRYINDEX);
    for (int i = 0; i < lane->plugin_count && lane->status == 0; i++) {
      if (load_plugin(L, collect, lane->plugin_folders[i], &plugins[i], &lane->result) != 0)
        lane->status = -1;
    }
  }
  /* Every lane comes to the gate, loaded or failed, so none waits forever. */
  int go = lane->gate ? wait_at_gate(lane->gate) : 1;
  lane->started_ns = now_ns();
  if (lane->status == 0 && go > 0) run_events(L, plugins, lane);
  lane->ended_ns = now_ns();
  lane->result.lua_heap_bytes =
      (int64_t)lua_gc(L, LUA_GCCOUNT, 0) * 1024 + lua_gc(L, LUA_GCCOUNTB, 0);
  lua_close(L);
  free_plugins(plugins, lane->plugin_count);
  return NULL;
}

int rb_run(const char *corpus_path, const char *const *plugin_folders, int plugin_count,
           int threads, rb_result *result) {
  memset(result, 0, sizeof *result);
  if (threads < 1) {
    fail(result, "threads must be at least 1, not %d", threads);
    return -1;
  }
  corpus_t corpus;
  if (read_corpus(corpus_path, &corpus, result) != 0) {
    free_corpus(&corpus);
    return -1;
  }
  lane_t *lanes = calloc((size_t)threads, sizeof *lanes);
  pthread_t *ids = calloc((size_t)threads, sizeof *ids);
  gate_t gate = {.ready = 0, .go = 0};
  pthread_mutex_init(&gate.lock, NULL);
  pthread_cond_init(&gate.changed, NULL);
  for (int t = 0; t < threads; t++) {
    lanes[t] = (lane_t){.corpus = &corpus, .plugin_folders = plugin_folders,
                        .plugin_count = plugin_count, .first = t, .stride = threads,
                        .gate = threads > 1 ? &gate : NULL};
  }
  int started_lanes = 0, status = 0;
  if (threads == 1) {
    run_lane(&lanes[0]);
    started_lanes = 1;
  } else {
    int code = 0;
    while (started_lanes < threads &&
           (code = pthread_create(&ids[started_lanes], NULL, run_lane, &lanes[started_lanes])) == 0)
      started_lanes++;
    if (code != 0) {
      fail(result, "could not start thread %d of %d: %s", started_lanes + 1, threads,
           strerror(code));
      status = -1;
    }
    open_gate(&gate, started_lanes, status == 0 ? 1 : -1);
    for (int t = 0; t < started_lanes; t++) pthread_join(ids[t], NULL);
  }
  pthread_cond_destroy(&gate.changed);
  pthread_mutex_destroy(&gate.lock);
  /* The run lasts from the first lane's start to the last lane's end. */
  int64_t started = lanes[0].started_ns, ended = lanes[0].ended_ns;
  for (int t = 0; t < started_lanes; t++) {
    const lane_t *lane = &lanes[t];
    if (lane->status != 0 && status == 0) {
      status = -1;
      memcpy(result->error, lane->result.error, sizeof result->error);
    }
    if (lane->started_ns < started) started = lane->started_ns;
    if (lane->ended_ns > ended) ended = lane->ended_ns;
    result->events += lane->result.events;
    for (int v = 0; v < RB_VERDICTS; v++) result->verdicts[v] += lane->result.verdicts[v];
    if (lane->result.lua_heap_bytes > result->lua_heap_bytes)
      result->lua_heap_bytes = lane->result.lua_heap_bytes;
  }
  result->elapsed_ns = ended - started;
  free(lanes);
  free(ids);
  free_corpus(&corpus);
  return status;
}
