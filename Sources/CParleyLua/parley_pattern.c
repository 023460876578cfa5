/*
 * parley_pattern.c — string.find, match, gmatch and gsub with a bounded
 * matcher, and lower and upper from the same character tables.
 *
 * Lua's matcher backtracks: ("x"):rep(3000) against ".-.-.-.-.-.-y" runs for
 * minutes inside one C call, where the count hook never fires. This matcher
 * implements the same pattern language (Lua 5.4 manual, section 6.4.1: classes,
 * sets, quantifiers * + - ?, anchors, captures, position captures, back
 * references %1-%9, %b and %f) with the same results, and charges every step
 * to the call's instruction budget through pl_charge, which also checks the
 * deadline. A pathological pattern therefore ends with the ordinary budget
 * error, deterministically.
 *
 * It also replaces gmatch's iterator: Debian's 5.4.4 segfaults when the
 * iterator is called again after it raised "pattern too complex". Here each
 * call starts from a freshly reset match state.
 */

#define _GNU_SOURCE /* memmem */
#include "parley_lua.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#define PL_ESC '%'
#define PL_SPECIALS "^$*+?.([%-"
enum {
  PL_MAXCAPTURES = 32,
  PL_MAXDEPTH = 200,
  PL_CAP_UNFINISHED = -1,
  PL_CAP_POSITION = -2,
  PL_CHARGE_EVERY = 1024,
  PL_SET_CACHE = 4, /* sets per call read as bitmaps */
};

/* Sets read as bitmaps (pl_set_bits), by where they start in the pattern. */
typedef struct {
  int count;
  struct {
    const char *at; /* the set's '[' in the pattern */
    uint8_t bits[32];
  } sets[PL_SET_CACHE];
} pl_set_cache;

typedef struct pl_pattern_memo pl_pattern_memo; /* see "Patterns read once" */

typedef struct {
  const char *src_init, *src_end, *p_end;
  lua_State *L;
  pl_pattern_memo *memo; /* the string functions', or NULL */
  int depth;
  int level;
  int64_t steps; /* uncharged steps */
  struct {
    const char *init;
    ptrdiff_t len;
  } capture[PL_MAXCAPTURES];
  pl_set_cache own_sets;
  pl_set_cache *sets; /* own_sets, or a gmatch iterator's, kept between its calls */
} pl_match;

static void pl_step(pl_match *ms, int64_t n) {
  ms->steps += n;
  if (ms->steps >= PL_CHARGE_EVERY) {
    int64_t charged = ms->steps;
    ms->steps = 0;
    pl_charge(ms->L, charged);
  }
}

/* The byte at p, or '\0' past the end, as Lua's NUL-terminated strings give. */
static int pl_at(const char *p, const char *end) { return p < end ? (unsigned char)*p : 0; }

static const char *pl_match_here(pl_match *ms, const char *s, const char *p);

/* The end of the single-character item at p (a character, a %class or a
 * [set]), or NULL when it is malformed. */
static const char *pl_scan_class(const pl_match *ms, const char *p) {
  if (*p++ == PL_ESC) return p < ms->p_end ? p + 1 : NULL;
  if (p[-1] == '[') {
    if (p < ms->p_end && *p == '^') p++;
    do {
      if (p >= ms->p_end) return NULL;
      if (*(p++) == PL_ESC && p < ms->p_end) p++;
    } while (p >= ms->p_end || *p != ']');
    return p + 1;
  }
  return p;
}

static const char *pl_class_end(pl_match *ms, const char *p) {
  const char *end = pl_scan_class(ms, p);
  if (end == NULL)
    luaL_error(ms->L, *p == PL_ESC ? "malformed pattern (ends with '%%')"
                                   : "malformed pattern (missing ']')");
  return end;
}

/* --- Character classes -----------------------------------------------------------
 * Lua's matcher asks <ctype.h> on every character (a call through the
 * locale's tables for the class letter and another for the character). Here
 * both answers are read from two tables, filled from the same <ctype.h>
 * functions once per process, so the results are Lua's. */

enum {
  PL_ALPHA = 1 << 0, PL_CNTRL = 1 << 1, PL_DIGIT = 1 << 2, PL_GRAPH = 1 << 3,
  PL_LOWER = 1 << 4, PL_PUNCT = 1 << 5, PL_SPACE = 1 << 6, PL_UPPER = 1 << 7,
  PL_ALNUM = 1 << 8, PL_XDIGIT = 1 << 9, PL_ZERO = 1 << 10,
  PL_NEGATED = 1 << 15, /* %A, %D, ...: the complement */
};

static uint16_t pl_char_classes[256]; /* a character's classes */
static uint16_t pl_class_letter[256]; /* a class letter's class, 0 for none */
static unsigned char pl_lower[256], pl_upper[256]; /* string.lower and upper */
static uint8_t pl_escape_bits[256][32]; /* the characters "%x" matches, for each x */
static void pl_fill_escape_bits(void);
static pthread_once_t pl_classes_once = PTHREAD_ONCE_INIT;

/* "%z": the zero byte. Lua 5.4 still reads it, as deprecated. */
static int pl_is_zero(int c) { return c == 0; }

static void pl_fill_classes(void) {
  static const struct {
    char letter;
    uint16_t bit;
    int (*test)(int);
  } classes[] = {
    {'a', PL_ALPHA, isalpha}, {'c', PL_CNTRL, iscntrl}, {'d', PL_DIGIT, isdigit},
    {'g', PL_GRAPH, isgraph}, {'l', PL_LOWER, islower}, {'p', PL_PUNCT, ispunct},
    {'s', PL_SPACE, isspace}, {'u', PL_UPPER, isupper}, {'w', PL_ALNUM, isalnum},
    {'x', PL_XDIGIT, isxdigit}, {'z', PL_ZERO, pl_is_zero},
  };
  for (int c = 0; c < 256; c++) {
    uint16_t bits = 0;
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
      if (classes[i].test(c)) bits |= classes[i].bit;
    pl_char_classes[c] = bits;
    pl_lower[c] = (unsigned char)tolower(c);
    pl_upper[c] = (unsigned char)toupper(c);
  }
  /* As Lua reads a class letter: tolower picks the class, isupper negates it. */
  for (int cl = 0; cl < 256; cl++) {
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++) {
      if (tolower(cl) == classes[i].letter)
        pl_class_letter[cl] = classes[i].bit | (isupper(cl) ? PL_NEGATED : 0);
    }
  }
  pl_fill_escape_bits();
}

static int pl_class_matches(int c, int cl) {
  uint16_t class = pl_class_letter[cl];
  if (class == 0) return cl == c;
  int res = (pl_char_classes[c] & class) != 0;
  return (class & PL_NEGATED) ? !res : res;
}

static void pl_fill_escape_bits(void) {
  for (int cl = 0; cl < 256; cl++)
    for (int c = 0; c < 256; c++)
      if (pl_class_matches(c, cl)) pl_escape_bits[cl][c >> 3] |= (uint8_t)(1u << (c & 7));
}

static void pl_set_range(uint8_t *bits, int from, int to) {
  while (from <= to && (from & 7) != 0) bits[from >> 3] |= (uint8_t)(1u << (from & 7)), from++;
  while (from + 7 <= to) bits[from >> 3] = 0xFF, from += 8;
  while (from <= to) bits[from >> 3] |= (uint8_t)(1u << (from & 7)), from++;
}

/* The characters the set at p (ec at its closing ']') matches, as a 256-bit
 * map: the one place a set's items are read, as Lua's matchbracketclass
 * reads them ("%x" escapes, "a-z" ranges, single characters, '^' first). */
static void pl_set_fill(uint8_t bits[32], const char *p, const char *ec) {
  memset(bits, 0, 32);
  int sig = 1;
  if (*(p + 1) == '^') {
    sig = 0;
    p++;
  }
  while (++p < ec) {
    if (*p == PL_ESC) {
      p++;
      const uint8_t *escape = pl_escape_bits[(unsigned char)*p];
      for (int k = 0; k < 32; k++) bits[k] |= escape[k];
    } else if (*(p + 1) == '-' && p + 2 < ec) {
      p += 2;
      pl_set_range(bits, (unsigned char)*(p - 2), (unsigned char)*p);
    } else {
      bits[(unsigned char)*p >> 3] |= (uint8_t)(1u << ((unsigned char)*p & 7));
    }
  }
  if (!sig)
    for (int k = 0; k < 32; k++) bits[k] = (uint8_t)~bits[k];
}

static int pl_bit(const uint8_t *bits, int c) { return (bits[c >> 3] >> (c & 7)) & 1; }

/* One character against a set, keeping nothing: a set past the per-call
 * cache. */
static int pl_set_matches(int c, const char *p, const char *ec) {
  uint8_t bits[32];
  pl_set_fill(bits, p, ec);
  return pl_bit(bits, c);
}

/* The set at p (ec at its ']') as a bitmap, made on its first use in this
 * call: a set is read for every character of the subject, and walking its
 * items each time cost more than the rest of the match. NULL when the
 * cache is full. */
static const uint8_t *pl_set_bits(pl_match *ms, const char *p, const char *ec) {
  pl_set_cache *cache = ms->sets;
  for (int i = 0; i < cache->count; i++)
    if (cache->sets[i].at == p) return cache->sets[i].bits;
  if (cache->count == PL_SET_CACHE) return NULL;
  cache->sets[cache->count].at = p;
  uint8_t *bits = cache->sets[cache->count++].bits;
  pl_set_fill(bits, p, ec);
  return bits;
}

/* Whether c is in the set at p (ec at its ']'), from the call's bitmap. */
static int pl_in_set(pl_match *ms, int c, const char *p, const char *ec) {
  const uint8_t *bits = pl_set_bits(ms, p, ec);
  return bits != NULL ? pl_bit(bits, c) : pl_set_matches(c, p, ec);
}

static int pl_single(pl_match *ms, const char *s, const char *p, const char *ep) {
  if (s >= ms->src_end) return 0;
  int c = (unsigned char)*s;
  switch (*p) {
  case '.': return 1;
  case PL_ESC: return pl_class_matches(c, (unsigned char)*(p + 1));
  case '[': return pl_in_set(ms, c, p, ep - 1);
  default: return (unsigned char)*p == c;
  }
}

static const char *pl_balance(pl_match *ms, const char *s, const char *p) {
  if (p >= ms->p_end - 1) luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
  if (s >= ms->src_end || *s != *p) return NULL;
  int open = *p, close = *(p + 1), depth = 1;
  const char *start = s;
  while (++s < ms->src_end) {
    if (*s == close) {
      if (--depth == 0) {
        pl_step(ms, s - start);
        return s + 1;
      }
    } else if (*s == open) {
      depth++;
    }
  }
  pl_step(ms, s - start);
  return NULL;
}

static int pl_first_needs_char(const pl_match *ms, const char *p, const char **ep);

/* Whether the rest of the pattern, from p, may match at s: false when it
 * must begin with a character that s is not (`needs`, from
 * pl_first_needs_char), so the caller need not start the matcher there. */
static int pl_may_continue(pl_match *ms, const char *s, int needs, const char *p,
                           const char *ep) {
  return !needs || pl_single(ms, s, p, ep);
}

static const char *pl_max_expand(pl_match *ms, const char *s, const char *p, const char *ep) {
  ptrdiff_t i = 0;
  while (pl_single(ms, s + i, p, ep)) i++;
  pl_step(ms, i);
  const char *next_ep;
  int needs = pl_first_needs_char(ms, ep + 1, &next_ep);
  while (i >= 0) { /* try with the longest run first, then shorter ones */
    if (pl_may_continue(ms, s + i, needs, ep + 1, next_ep)) {
      const char *res = pl_match_here(ms, s + i, ep + 1);
      if (res != NULL) return res;
    }
    i--;
  }
  return NULL;
}

static const char *pl_min_expand(pl_match *ms, const char *s, const char *p, const char *ep) {
  const char *next_ep;
  int needs = pl_first_needs_char(ms, ep + 1, &next_ep);
  for (;;) {
    if (pl_may_continue(ms, s, needs, ep + 1, next_ep)) {
      const char *res = pl_match_here(ms, s, ep + 1);
      if (res != NULL) return res;
    } else {
      pl_step(ms, 1); /* what the try would have charged: the loop is the work */
    }
    if (!pl_single(ms, s, p, ep)) return NULL;
    s++;
  }
}

static const char *pl_start_capture(pl_match *ms, const char *s, const char *p, int what) {
  if (ms->level >= PL_MAXCAPTURES) luaL_error(ms->L, "too many captures");
  ms->capture[ms->level].init = s;
  ms->capture[ms->level].len = what;
  ms->level++;
  const char *res = pl_match_here(ms, s, p);
  if (res == NULL) ms->level--;
  return res;
}

static const char *pl_end_capture(pl_match *ms, const char *s, const char *p) {
  int l = -1;
  for (int i = ms->level - 1; i >= 0; i--) {
    if (ms->capture[i].len == PL_CAP_UNFINISHED) {
      l = i;
      break;
    }
  }
  if (l < 0) luaL_error(ms->L, "invalid pattern capture");
  ms->capture[l].len = s - ms->capture[l].init;
  const char *res = pl_match_here(ms, s, p);
  if (res == NULL) ms->capture[l].len = PL_CAP_UNFINISHED;
  return res;
}

static int pl_check_capture(pl_match *ms, int l) {
  l -= '1';
  if (l < 0 || l >= ms->level || ms->capture[l].len == PL_CAP_UNFINISHED)
    return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
  return l;
}

static const char *pl_back_reference(pl_match *ms, const char *s, int l) {
  l = pl_check_capture(ms, l);
  /* A position capture's length is negative, so as a size it never fits:
   * no match, as in Lua, and nothing to charge. */
  size_t len = (size_t)ms->capture[l].len;
  if ((size_t)(ms->src_end - s) < len) return NULL;
  pl_step(ms, (int64_t)(len / 16));
  return memcmp(ms->capture[l].init, s, len) == 0 ? s + len : NULL;
}

static const char *pl_match_here(pl_match *ms, const char *s, const char *p) {
  if (ms->depth-- == 0) luaL_error(ms->L, "pattern too complex");
  pl_step(ms, 1);
  for (;;) {
    if (p == ms->p_end) break;
    switch (*p) {
    case '(':
      if (p + 1 < ms->p_end && *(p + 1) == ')')
        s = pl_start_capture(ms, s, p + 2, PL_CAP_POSITION);
      else
        s = pl_start_capture(ms, s, p + 1, PL_CAP_UNFINISHED);
      goto done;
    case ')':
      s = pl_end_capture(ms, s, p + 1);
      goto done;
    case '$':
      if (p + 1 != ms->p_end) goto single;
      s = (s == ms->src_end) ? s : NULL;
      goto done;
    case PL_ESC:
      switch (pl_at(p + 1, ms->p_end)) {
      case 'b':
        s = pl_balance(ms, s, p + 2);
        if (s != NULL) {
          p += 4;
          continue;
        }
        goto done;
      case 'f': {
        p += 2;
        if (p >= ms->p_end || *p != '[') luaL_error(ms->L, "missing '[' after '%%f' in pattern");
        const char *ep = pl_class_end(ms, p);
        int previous = (s == ms->src_init) ? '\0' : (unsigned char)*(s - 1);
        if (!pl_in_set(ms, previous, p, ep - 1) &&
            pl_in_set(ms, pl_at(s, ms->src_end), p, ep - 1)) {
          p = ep;
          continue;
        }
        s = NULL;
        goto done;
      }
      case '0': case '1': case '2': case '3': case '4':
      case '5': case '6': case '7': case '8': case '9':
        s = pl_back_reference(ms, s, (unsigned char)*(p + 1));
        if (s != NULL) {
          p += 2;
          continue;
        }
        goto done;
      default:
        goto single;
      }
    default:
    single: {
      const char *ep = pl_class_end(ms, p);
      int q = pl_at(ep, ms->p_end);
      if (!pl_single(ms, s, p, ep)) {
        if (q == '*' || q == '?' || q == '-') { /* accept empty */
          p = ep + 1;
          continue;
        }
        s = NULL;
        goto done;
      }
      switch (q) {
      case '?': {
        const char *res = pl_match_here(ms, s + 1, ep + 1);
        if (res != NULL) {
          s = res;
          goto done;
        }
        p = ep + 1;
        continue;
      }
      case '+': s = pl_max_expand(ms, s + 1, p, ep); goto done;
      case '*': s = pl_max_expand(ms, s, p, ep); goto done;
      case '-': s = pl_min_expand(ms, s, p, ep); goto done;
      default:
        s++;
        p = ep;
        continue;
      }
    }
    }
  }
done:
  ms->depth++;
  return s;
}

/* --- Captures ------------------------------------------------------------------ */

static void pl_push_one_capture(pl_match *ms, int i, const char *s, const char *e) {
  if (i >= ms->level) {
    if (i != 0) luaL_error(ms->L, "invalid capture index %%%d", i + 1);
    lua_pushlstring(ms->L, s, (size_t)(e - s)); /* the whole match */
    return;
  }
  ptrdiff_t l = ms->capture[i].len;
  if (l == PL_CAP_UNFINISHED) luaL_error(ms->L, "unfinished capture");
  if (l == PL_CAP_POSITION)
    lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
  else
    lua_pushlstring(ms->L, ms->capture[i].init, (size_t)l);
}

static int pl_push_captures(pl_match *ms, const char *s, const char *e) {
  int n = (ms->level == 0 && s != NULL) ? 1 : ms->level;
  luaL_checkstack(ms->L, n, "too many captures");
  for (int i = 0; i < n; i++) pl_push_one_capture(ms, i, s, e);
  return n;
}

static void pl_prepare(pl_match *ms, lua_State *L, const char *s, size_t ls, const char *p,
                       size_t lp) {
  ms->L = L;
  ms->src_init = s;
  ms->src_end = s + ls;
  ms->p_end = p + lp;
  ms->steps = 0;
  ms->own_sets.count = 0;
  ms->sets = &ms->own_sets;
  ms->memo = NULL;
}

static void pl_reset(pl_match *ms) {
  ms->level = 0;
  ms->depth = PL_MAXDEPTH;
}

static size_t pl_start_index(lua_Integer pos, size_t len) {
  if (pos > 0) return (size_t)pos;
  if (pos == 0) return 1;
  if (pos < -(lua_Integer)len) return 1;
  return len + (size_t)pos + 1;
}

static int pl_has_specials(const char *p, size_t l) {
  for (size_t i = 0; i < l; i++)
    if (p[i] != '\0' && strchr(PL_SPECIALS, p[i]) != NULL) return 1;
  return 0;
}

/* Whether every match of p must begin with one character its first item
 * matches: a single character, class or set with no '*', '?' or '-'. Then a
 * position where that item fails cannot start a match, and the loops below
 * pass over it without starting the matcher (charging it a step, as a try
 * would be). Sets *ep to the item's end. Never raises: a malformed first
 * item answers 0, and the matcher reports it as Lua does. */
static int pl_first_needs_char(const pl_match *ms, const char *p, const char **ep) {
  if (p >= ms->p_end) return 0;
  switch (*p) {
  case '(': case ')': return 0;
  case '$':
    if (p + 1 == ms->p_end) return 0;
    break;
  case PL_ESC:
    switch (pl_at(p + 1, ms->p_end)) {
    case 'b': case 'f': return 0;
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9': return 0;
    }
    break;
  }
  const char *end = pl_scan_class(ms, p);
  if (end == NULL) return 0;
  int q = pl_at(end, ms->p_end);
  if (q == '*' || q == '?' || q == '-') return 0;
  *ep = end;
  return 1;
}

/* The character the single item [p, ep) stands for, or -1 when it is a class,
 * a set or '.': "x" and "%." are characters, "%a" is not. */
static int pl_literal(const char *p, const char *ep) {
  if (ep - p == 1) return (*p == '.' || *p == '[') ? -1 : (unsigned char)*p;
  if (ep - p == 2 && *p == PL_ESC && pl_class_letter[(unsigned char)p[1]] == 0)
    return (unsigned char)p[1];
  return -1;
}

/* The characters the single item [p, ep) matches, as a bitmap, for loops
 * that test many characters against one item: a class or an escaped
 * character ("%a", "%.") from the table filled once, a set from the call's
 * cache. NULL for '.' and a plain character (which need none), and for a
 * set past the cache. */
static const uint8_t *pl_item_bits(pl_match *ms, const char *p, const char *ep) {
  switch (*p) {
  case PL_ESC: return pl_escape_bits[(unsigned char)p[1]];
  case '[': return pl_set_bits(ms, p, ep - 1);
  default: return NULL;
  }
}

/* The first position from s on where the first item (ending at ep) matches,
 * or the subject's end. A character is looked for with memchr; the steps
 * charged are the same either way. */
static const char *pl_skip_to_first(pl_match *ms, const char *s, const char *p, const char *ep) {
  const char *from = s;
  int literal = pl_literal(p, ep);
  const uint8_t *bits;
  if (literal >= 0) {
    const char *found = s < ms->src_end ? memchr(s, literal, (size_t)(ms->src_end - s)) : NULL;
    s = found != NULL ? found : ms->src_end;
  } else if ((bits = pl_item_bits(ms, p, ep)) != NULL) {
    while (s < ms->src_end && !pl_bit(bits, (unsigned char)*s)) s++;
  } else {
    while (s < ms->src_end && !pl_single(ms, s, p, ep)) s++;
  }
  pl_step(ms, s - from);
  return s;
}

/* How a loop over start positions may pass over those no match can start
 * at, and where it need not start the matcher (charging a step for each, as
 * a try would be). Never raises: a pattern the matcher would reject gets no
 * shortcut, and the positions passed over are only ones where the matcher
 * would fail before reaching what it rejects, so every error Lua raises is
 * still raised, at the same position. */
enum {
  PL_SKIP_NONE,
  /* Every match begins with one character its first item matches (see
   * pl_first_needs_char); ep ends that item. */
  PL_SKIP_FIRST,
  /* The pattern begins "(x)%1" with x one single-character item: every match
   * begins with a character x matches, twice ("(.)%1%1%1" finds a character
   * repeated). ep ends x, which starts at the pattern's second character. */
  PL_SKIP_REPEAT
};

static int pl_start_filter(const pl_match *ms, const char *p, const char **ep) {
  if (pl_first_needs_char(ms, p, ep)) return PL_SKIP_FIRST;
  if (p < ms->p_end && *p == '(' && pl_first_needs_char(ms, p + 1, ep) &&
      ms->p_end - *ep >= 3 && (*ep)[0] == ')' && (*ep)[1] == PL_ESC && (*ep)[2] == '1')
    return PL_SKIP_REPEAT;
  return PL_SKIP_NONE;
}

/* The first position from s on where a match of "(x)%1..." may start: a
 * character x matches, followed by the same character; else the subject's
 * end (no match fits in the last character). */
static const char *pl_skip_to_repeat(pl_match *ms, const char *s, const char *x, const char *ep) {
  const char *from = s;
  while (s + 1 < ms->src_end && !(s[0] == s[1] && pl_single(ms, s, x, ep))) s++;
  if (s + 1 >= ms->src_end) s = ms->src_end;
  pl_step(ms, s - from);
  return s;
}

/* The first position from s on where a match may start, by `skip` (one of
 * the PL_SKIP kinds other than none), or the subject's end. */
static const char *pl_skip(pl_match *ms, const char *s, const char *p, const char *ep, int skip) {
  return skip == PL_SKIP_FIRST ? pl_skip_to_first(ms, s, p, ep)
                               : pl_skip_to_repeat(ms, s, p + 1, ep);
}

/* Whether the whole pattern is its first item (ending at ep, as
 * pl_first_needs_char found it), alone or with '+' ("%u", "[%p%s]+",
 * "%S+"): the commonest patterns in rules, matched here without the
 * matcher's recursion. */
static int pl_is_one_item(const pl_match *ms, const char *ep, int *plus) {
  *plus = ep < ms->p_end && *ep == '+';
  return ep + *plus == ms->p_end;
}

/* The match of a one-item pattern (pl_is_one_item) at s, or NULL; charged
 * what the matcher would charge. */
static const char *pl_match_one_item(pl_match *ms, const char *s, const char *p, const char *ep,
                                     int plus) {
  if (!pl_single(ms, s, p, ep)) {
    pl_step(ms, 1);
    return NULL;
  }
  const char *e = s + 1;
  const uint8_t *bits;
  if (plus && (bits = pl_item_bits(ms, p, ep)) != NULL)
    while (e < ms->src_end && pl_bit(bits, (unsigned char)*e)) e++;
  else if (plus)
    while (pl_single(ms, e, p, ep)) e++;
  pl_step(ms, (e - s) + plus);
  return e;
}

/* --- Characters every match needs ---------------------------------------------------
 * Every match of "[%w.]+@[%w-]+%.%a+" contains an '@' and a '.': in a subject
 * without one of them no position can start a match, and memchr finds that
 * out in a fraction of the time the matcher takes to try each position
 * (for this pattern, quadratic in the length of each word). Regular
 * expression engines keep such "required characters" for the same reason.
 *
 * The characters are the pattern's items that are one character and must
 * occur: not followed by '*', '?' or '-', at any depth of captures. Only a
 * pattern the matcher can never reject gets them (every item well-formed,
 * captures balanced and at most PL_MAXCAPTURES, no back reference, shorter
 * than the depth limit): Lua raises for a malformed pattern as soon as the
 * matcher reaches the bad item, even in a subject where nothing matches, and
 * skipping the matcher must not skip such an error. */

enum {
  PL_MAX_REQUIRED = 4,
  /* Below this many bytes a subject is searched without looking for the
   * required characters first: walking the pattern costs more than the
   * positions it could spare (a rule calling gsub on every word). */
  PL_REQUIRED_MIN_SUBJECT = 32,
};

typedef struct {
  int count;
  unsigned char chars[PL_MAX_REQUIRED];
} pl_required;

/* The characters every match of the pattern p needs, by walking it. */
static void pl_read_required(const pl_match *ms, const char *p, pl_required *required) {
  pl_required found = {0};
  required->count = 0;
  int open = 0, captures = 0;
  while (p < ms->p_end) {
    switch (*p) {
    case '(':
      if (++captures > PL_MAXCAPTURES) return;
      if (p + 1 < ms->p_end && *(p + 1) == ')') {
        p += 2;
      } else {
        open++;
        p++;
      }
      continue;
    case ')':
      if (open-- == 0) return;
      p++;
      continue;
    case '$':
      if (p + 1 == ms->p_end) {
        p++;
        continue;
      }
      break;
    case PL_ESC:
      if (p + 1 >= ms->p_end) return;
      if (*(p + 1) == 'b') {
        if (ms->p_end - p < 4) return;
        p += 4;
        continue;
      }
      if (*(p + 1) == 'f') {
        p += 2;
        if (p >= ms->p_end || *p != '[') return;
        if ((p = pl_scan_class(ms, p)) == NULL) return;
        continue;
      }
      if (isdigit((unsigned char)*(p + 1))) return;
      break;
    }
    const char *end = pl_scan_class(ms, p);
    if (end == NULL) return;
    int q = pl_at(end, ms->p_end);
    int literal = pl_literal(p, end);
    if (q == '*' || q == '?' || q == '-') {
      p = end + 1;
      continue;
    }
    p = (q == '+') ? end + 1 : end;
    if (literal >= 0 && found.count < PL_MAX_REQUIRED &&
        memchr(found.chars, literal, (size_t)found.count) == NULL)
      found.chars[found.count++] = (unsigned char)literal;
  }
  if (open != 0) return;
  *required = found;
}

/* --- Patterns read once -------------------------------------------------------------
 * A rule calls find, gsub and gmatch with the same few patterns on every
 * event, and walking each pattern for its required characters at every call
 * was 4 % of the heavy benchmark pack's rule time. The string functions
 * share one memo per Lua state (their upvalue) of the patterns read
 * lately. A pattern is found by its whole text, never by its address, so a
 * pattern string freed and another allocated in its place is never taken
 * for it. */

enum {
  PL_MEMO_SLOTS = 64, /* in pairs: a pattern may sit in either of its pair */
  PL_MEMO_PATTERN = 56, /* longer patterns are read every time */
};

struct pl_pattern_memo {
  unsigned clock; /* counts lookups: the older of a pair is replaced */
  struct {
    size_t length; /* 0: an empty slot */
    unsigned used;
    char text[PL_MEMO_PATTERN];
    pl_required required;
  } slots[PL_MEMO_SLOTS];
};

/* The characters every match of p needs, when the subject from s on is long
 * enough to be worth looking for them (see PL_REQUIRED_MIN_SUBJECT). */
static void pl_find_required(const pl_match *ms, const char *s, const char *p,
                             pl_required *required) {
  required->count = 0;
  if (ms->src_end - s < PL_REQUIRED_MIN_SUBJECT || ms->p_end - p >= PL_MAXDEPTH - 1) return;
  size_t length = (size_t)(ms->p_end - p);
  pl_pattern_memo *memo = ms->memo;
  if (memo == NULL || length > PL_MEMO_PATTERN) {
    pl_read_required(ms, p, required);
    return;
  }
  /* The length and the first 12 bytes pick the pair; the text decides. */
  uint32_t hash = 2166136261u ^ (uint32_t)length;
  for (size_t i = 0; i < length && i < 12; i++) hash = (hash ^ (unsigned char)p[i]) * 16777619u;
  unsigned pair = (hash % (PL_MEMO_SLOTS / 2)) * 2, use = pair;
  memo->clock++;
  for (unsigned i = pair; i < pair + 2; i++) {
    if (memo->slots[i].length == length && memcmp(memo->slots[i].text, p, length) == 0) {
      memo->slots[i].used = memo->clock;
      *required = memo->slots[i].required;
      return;
    }
    if (memo->slots[i].used < memo->slots[use].used) use = i;
  }
  memo->slots[use].length = length;
  memo->slots[use].used = memo->clock;
  memcpy(memo->slots[use].text, p, length);
  pl_read_required(ms, p, &memo->slots[use].required);
  *required = memo->slots[use].required;
}

/* Whether every required character occurs from s on; memchr's work is
 * charged as a plain find's is. */
static int pl_has_required(pl_match *ms, const char *s, const pl_required *required) {
  if (required->count == 0) return 1;
  size_t left = s < ms->src_end ? (size_t)(ms->src_end - s) : 0;
  for (int i = 0; i < required->count; i++) {
    pl_step(ms, (int64_t)(left / 64));
    if (left == 0 || memchr(s, required->chars[i], left) == NULL) return 0;
  }
  return 1;
}

/* What the loops over start positions know of a pattern before they begin:
 * the characters every match needs, how to pass over positions no match
 * starts at, and whether the pattern is one item. find, match, gsub and
 * gmatch (once per iterator) read it the same way. */
typedef struct {
  pl_required required;
  int skip;       /* a PL_SKIP kind */
  const char *ep; /* the end of the item skip looks for, when skip is set */
  int one, plus;  /* whether the pattern is one item (pl_is_one_item) */
} pl_plan;

/* Reads the pattern p (its '^' already taken off when anchored) for a search
 * of the subject from s on. Called by the string functions themselves: their
 * upvalue is the state's memo of patterns read. */
static void pl_plan_pattern(pl_match *ms, const char *s, const char *p, int anchor,
                            pl_plan *plan) {
  memset(plan, 0, sizeof *plan);
  ms->memo = lua_touserdata(ms->L, lua_upvalueindex(1));
  pl_find_required(ms, s, p, &plan->required);
  plan->skip = anchor ? PL_SKIP_NONE : pl_start_filter(ms, p, &plan->ep);
  plan->one = plan->skip == PL_SKIP_FIRST && pl_is_one_item(ms, plan->ep, &plan->plus);
}

/* --- find and match ---------------------------------------------------------------- */

static int pl_find_aux(lua_State *L, int find) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = pl_start_index(luaL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls) {
    luaL_pushfail(L);
    return 1;
  }
  if (find && (lua_toboolean(L, 4) || !pl_has_specials(p, lp))) {
    /* Plain search: memmem is linear in the subject, unlike a naive scan. */
    pl_charge(L, (int64_t)((ls - init) / 64));
    const char *found = lp == 0 ? s + init : memmem(s + init, ls - init, p, lp);
    if (found != NULL) {
      lua_pushinteger(L, (found - s) + 1);
      lua_pushinteger(L, (lua_Integer)((found - s) + lp));
      return 2;
    }
  } else {
    pl_match ms;
    const char *s1 = s + init;
    int anchor = (lp > 0 && *p == '^');
    if (anchor) {
      p++;
      lp--;
    }
    pl_prepare(&ms, L, s, ls, p, lp);
    pl_plan plan;
    pl_plan_pattern(&ms, s1, p, anchor, &plan);
    if (pl_has_required(&ms, s1, &plan.required)) do {
      if (plan.skip && (s1 = pl_skip(&ms, s1, p, plan.ep, plan.skip)) == ms.src_end) break;
      pl_reset(&ms);
      const char *e = plan.one ? pl_match_one_item(&ms, s1, p, plan.ep, plan.plus)
                               : pl_match_here(&ms, s1, p);
      if (e != NULL) {
        if (find) {
          lua_pushinteger(L, (s1 - s) + 1);
          lua_pushinteger(L, e - s);
          return pl_push_captures(&ms, NULL, NULL) + 2;
        }
        return pl_push_captures(&ms, s1, e);
      }
    } while (s1++ < ms.src_end && !anchor);
  }
  luaL_pushfail(L);
  return 1;
}

static int pl_str_find(lua_State *L) { return pl_find_aux(L, 1); }
static int pl_str_match(lua_State *L) { return pl_find_aux(L, 0); }

/* --- gmatch ------------------------------------------------------------------------- */

/* The subject and pattern live in the iterator's upvalues, and Lua never
 * moves a string: their bytes are read here, not looked up on every call. */
typedef struct {
  const char *s, *p;
  size_t ls, lp;
  size_t pos;     /* where the next search starts */
  size_t lastend; /* end of the last match + 1; 0 = none yet */
  pl_plan plan;   /* the pattern, read once for all the calls */
  pl_set_cache sets; /* the pattern's sets, read once for all the calls */
} pl_gmatch_state;

static int pl_gmatch_next(lua_State *L) {
  pl_gmatch_state *gm = lua_touserdata(L, lua_upvalueindex(3));
  const char *s = gm->s, *p = gm->p;
  size_t ls = gm->ls, lp = gm->lp;
  pl_match ms;
  pl_prepare(&ms, L, s, ls, p, lp);
  ms.sets = &gm->sets; /* the pattern is the same string on every call */
  const pl_plan *plan = &gm->plan;
  size_t from = gm->pos <= ls ? gm->pos : ls;
  if (!pl_has_required(&ms, s + from, &plan->required)) gm->pos = ls + 1;
  for (size_t pos = gm->pos; pos <= ls; pos++) {
    if (plan->skip &&
        (pos = (size_t)(pl_skip(&ms, s + pos, p, plan->ep, plan->skip) - s)) == ls)
      break;
    pl_reset(&ms);
    const char *e = plan->one ? pl_match_one_item(&ms, s + pos, p, plan->ep, plan->plus)
                              : pl_match_here(&ms, s + pos, p);
    if (e != NULL && (gm->lastend == 0 || (size_t)(e - s) + 1 != gm->lastend)) {
      gm->pos = (size_t)(e - s);
      gm->lastend = gm->pos + 1;
      return pl_push_captures(&ms, s + pos, e);
    }
  }
  gm->pos = ls + 1;
  return 0;
}

static int pl_str_gmatch(lua_State *L) {
  size_t ls, lp;
  const char *s = luaL_checklstring(L, 1, &ls);
  const char *p = luaL_checklstring(L, 2, &lp);
  size_t init = pl_start_index(luaL_optinteger(L, 3, 1), ls) - 1;
  if (init > ls) init = ls + 1;
  lua_settop(L, 2);
  pl_gmatch_state *gm = lua_newuserdatauv(L, sizeof *gm, 0);
  memset(gm, 0, sizeof *gm);
  gm->s = s;
  gm->ls = ls;
  gm->p = p;
  gm->lp = lp;
  gm->pos = init;
  /* The pattern is the same on every call (its bytes stay where they are,
   * in an upvalue): read it once. */
  pl_match ms;
  pl_prepare(&ms, L, s, ls, p, lp);
  pl_plan_pattern(&ms, s + (init < ls ? init : ls), p, 0, &gm->plan);
  lua_pushcclosure(L, pl_gmatch_next, 3);
  return 1;
}

/* --- gsub ------------------------------------------------------------------------------ */

static void pl_add_string(pl_match *ms, luaL_Buffer *b, const char *s, const char *e) {
  size_t l;
  lua_State *L = ms->L;
  const char *news = lua_tolstring(L, 3, &l);
  const char *p;
  while ((p = memchr(news, PL_ESC, l)) != NULL) {
    luaL_addlstring(b, news, (size_t)(p - news));
    p++;
    if (p >= news + l) {
      luaL_error(L, "invalid use of '%c' in replacement string", PL_ESC);
    } else if (*p == PL_ESC) {
      luaL_addchar(b, *p);
    } else if (*p == '0') {
      luaL_addlstring(b, s, (size_t)(e - s));
    } else if (isdigit((unsigned char)*p)) {
      pl_push_one_capture(ms, *p - '1', s, e);
      luaL_tolstring(L, -1, NULL);
      lua_remove(L, -2);
      luaL_addvalue(b);
    } else {
      luaL_error(L, "invalid use of '%c' in replacement string", PL_ESC);
    }
    l -= (size_t)(p + 1 - news);
    news = p + 1;
  }
  luaL_addlstring(b, news, l);
}

/* Returns whether the match was replaced (false keeps the original text). */
static int pl_add_value(pl_match *ms, luaL_Buffer *b, const char *s, const char *e, int tr) {
  lua_State *L = ms->L;
  switch (tr) {
  case LUA_TFUNCTION: {
    lua_pushvalue(L, 3);
    int n = pl_push_captures(ms, s, e);
    lua_call(L, n, 1);
    break;
  }
  case LUA_TTABLE:
    pl_push_one_capture(ms, 0, s, e);
    lua_gettable(L, 3);
    break;
  default:
    pl_add_string(ms, b, s, e);
    return 1;
  }
  if (!lua_toboolean(L, -1)) {
    lua_pop(L, 1);
    luaL_addlstring(b, s, (size_t)(e - s));
    return 0;
  }
  if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
  luaL_addvalue(b);
  return 1;
}

static int pl_str_gsub(lua_State *L) {
  size_t srcl, lp;
  const char *src = luaL_checklstring(L, 1, &srcl);
  const char *p = luaL_checklstring(L, 2, &lp);
  const char *lastmatch = NULL;
  int tr = lua_type(L, 3);
  lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)srcl + 1);
  int anchor = (lp > 0 && *p == '^');
  lua_Integer n = 0;
  int changed = 0;
  luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION ||
                          tr == LUA_TTABLE,
                   3, "string/function/table");
  luaL_Buffer b;
  luaL_buffinit(L, &b);
  if (anchor) {
    p++;
    lp--;
  }
  pl_match ms;
  pl_prepare(&ms, L, src, srcl, p, lp);
  pl_plan plan;
  pl_plan_pattern(&ms, src, p, anchor, &plan);
  if (!pl_has_required(&ms, src, &plan.required)) max_s = 0; /* no match anywhere: unchanged */
  while (n < max_s) {
    if (plan.skip) { /* the characters no match starts at stay as they are */
      const char *from = src;
      src = pl_skip(&ms, src, p, plan.ep, plan.skip);
      luaL_addlstring(&b, from, (size_t)(src - from));
    }
    pl_reset(&ms);
    const char *e = plan.one ? pl_match_one_item(&ms, src, p, plan.ep, plan.plus)
                             : pl_match_here(&ms, src, p);
    if (e != NULL && e != lastmatch) {
      n++;
      changed = pl_add_value(&ms, &b, src, e, tr) | changed;
      src = lastmatch = e;
    } else if (src < ms.src_end) {
      luaL_addchar(&b, *src++);
    } else {
      break;
    }
    if (anchor) break;
  }
  if (!changed) {
    lua_pushvalue(L, 1);
  } else {
    luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
    luaL_pushresult(&b);
  }
  lua_pushinteger(L, n);
  return 2;
}

/* --- lower and upper -------------------------------------------------------------------- */

/* Lua's, with the case read from the same per-process tables instead of a
 * locale call per character: rules lower-case whole posts.
 *
 * Each function keeps its last subject and result (upvalues 1 and 2): the
 * rules of one event lower-case the same post one after another, and the
 * second time costs a comparison instead of a copy and its garbage. Strings
 * are values, so no rule can tell. Only subjects of PL_CASE_KEPT bytes or
 * fewer are kept, so one rule's huge string is not held against the
 * memory ceiling the next rule runs under. */
enum { PL_CASE_KEPT = 4096 };

static int pl_str_case(lua_State *L, const unsigned char *table) {
  size_t l;
  const char *s = luaL_checklstring(L, 1, &l);
  if (l <= PL_CASE_KEPT && lua_rawequal(L, 1, lua_upvalueindex(1))) {
    lua_pushvalue(L, lua_upvalueindex(2));
    return 1;
  }
  luaL_Buffer b;
  char *p = luaL_buffinitsize(L, &b, l);
  for (size_t i = 0; i < l; i++) p[i] = (char)table[(unsigned char)s[i]];
  luaL_pushresultsize(&b, l);
  if (l <= PL_CASE_KEPT) {
    lua_pushvalue(L, 1);
    lua_replace(L, lua_upvalueindex(1));
    lua_pushvalue(L, -1);
    lua_replace(L, lua_upvalueindex(2));
  }
  return 1;
}

static int pl_str_lower(lua_State *L) { return pl_str_case(L, pl_lower); }
static int pl_str_upper(lua_State *L) { return pl_str_case(L, pl_upper); }

void pl_open_patterns(lua_State *L) {
  pthread_once(&pl_classes_once, pl_fill_classes);
  pl_pattern_memo *memo = lua_newuserdatauv(L, sizeof *memo, 0);
  memset(memo, 0, sizeof *memo);
  static const struct {
    const char *name;
    lua_CFunction function;
  } functions[] = {
    {"find", pl_str_find}, {"match", pl_str_match}, {"gmatch", pl_str_gmatch},
    {"gsub", pl_str_gsub},
  };
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, functions[i].function, 1); /* the memo, shared */
    lua_setfield(L, -3, functions[i].name);
  }
  lua_pop(L, 1);
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushcclosure(L, pl_str_lower, 2);
  lua_setfield(L, -2, "lower");
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushcclosure(L, pl_str_upper, 2);
  lua_setfield(L, -2, "upper");
}
