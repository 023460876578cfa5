/// The read-only views rules see the event and its context through, loaded
/// once per worker and shared by every plugin. The worker calls the function
/// it returns, `enter`, once per plugin and event, and calls each of the
/// plugin's rules with the two views it returns.
///
/// One set of proxies per Lua state: a nested table's proxy replaces the
/// table in its parent, so every plugin must recognise every other's.
let contextViewsSource = #"""
  local error, type, tostring, next, setmetatable, rawlen =
    error, type, tostring, next, setmetatable, rawlen

  -- Read-only views: one proxy per table, made on first use, so a rule can
  -- read the event and context but every write names the field it tried.
  -- A proxy's table is its one weak-table entry. A nested table's proxy
  -- takes the table's place in its parent, so the next read finds it there
  -- (and gets the same proxy). The dotted path for an error message is
  -- looked for from the event's roots when a write fails, never kept on the
  -- way to a field: weak-table entries cost more than a rule's own work.
  local backing = setmetatable({}, { __mode = "k" })
  local VIEW = {}
  local root_event, root_ctx -- the tables behind the running rule's `event` and `ctx`
  local LAZY = {} -- see below
  local function find(t, target, prefix, seen)
    for key, value in next, t do
      if type(value) == "table" then value = backing[value] or value end
      if key ~= LAZY and type(value) == "table" and not seen[value] then
        seen[value] = true
        local at = prefix .. "." .. tostring(key)
        if value == target then return at end
        local found = find(value, target, at, seen)
        if found then return found end
      end
    end
  end
  local function path(proxy)
    local t = backing[proxy]
    if t == root_event then return "event" end
    if t == root_ctx then return "ctx" end
    return (root_event and find(root_event, t, "event", {}))
      or (root_ctx and find(root_ctx, t, "ctx", {}))
  end
  local function view(t)
    local proxy = setmetatable({}, VIEW)
    backing[proxy] = t
    return proxy
  end
  -- The proxy of `t[key]`, a table not yet seen through a view.
  local function child(t, key, value)
    local proxy = view(value)
    t[key] = proxy
    return proxy
  end
  -- Settings tables live as long as the community's settings, and so do
  -- their proxies.
  local settings_views = setmetatable({}, { __mode = "k" })

  -- Some context fields are built by the host only when a rule reads them:
  -- until then the table keeps their loaders under the private key LAZY,
  -- which no view shows (`pairs` loads every field first and drops it).
  -- In the table itself, not in a table of tables: a table keyed by each
  -- event's tables, emptied at every event, was rehashed every few events.
  local THREAD = { messages = parley.recent_messages, participants = parley.thread_participants }
  local MEMBER = { consents = parley.member_consents, history = parley.member_history }
  local context_thread, context_community = parley.context_thread, parley.context_community
  -- `ctx.thread` and `ctx.community`, built once per event on first read
  -- (many rules read neither) and shared by every plugin's `ctx`; false
  -- until then, and for an event without a thread.
  local event_thread, event_community = false, false
  -- This event's tables with lazy fields (each plugin's `ctx`, the member,
  -- the thread): when the next event starts they stop loading, so a table
  -- a rule kept never shows a later event's data (the loaders read the
  -- running event, which may be another member's or another community's).
  local event_lazy, event_lazy_count = {}, 0
  local function lazy_for_this_event(t, loaders)
    t[LAZY] = loaders
    event_lazy_count = event_lazy_count + 1
    event_lazy[event_lazy_count] = t
  end
  local CONTEXT = {
    thread = function()
      if event_thread == false then
        event_thread = context_thread()
        if event_thread then lazy_for_this_event(event_thread, THREAD) end
      end
      return event_thread
    end,
    community = function()
      if not event_community then event_community = context_community() end
      return event_community
    end,
  }
  local function load_field(t, loaders, key)
    local value = loaders[key]()
    t[key] = value
    return value
  end
  local function load_all(t, loaders)
    for key in next, loaders do
      if t[key] == nil then load_field(t, loaders, key) end
    end
    t[LAZY] = nil
  end

  -- A field read: the host's C function answers plain values, proxies,
  -- tables seen for the first time (making their proxy as `child` does) and
  -- missing fields; it calls this only for a lazy field.
  local function slow_index(proxy, key)
    local t = backing[proxy]
    local value = t[key]
    local loaders = t[LAZY]
    if value == nil and loaders and loaders[key] then value = load_field(t, loaders, key) end
    if type(value) == "table" and not backing[value] then return child(t, key, value) end
    return value
  end
  VIEW.__index = parley.view_index(backing, VIEW, LAZY, slow_index)
  VIEW.__newindex = function(proxy, key)
    local at = path(proxy)
    local field = at and at .. "." .. tostring(key)
      or "field '" .. tostring(key) .. "' of an earlier event's table"
    error(field .. " is read-only: rules propose, the host changes", 2)
  end
  VIEW.__len = function(proxy) return rawlen(backing[proxy]) end
  VIEW.__pairs = function(proxy)
    local t = backing[proxy]
    if t[LAZY] then load_all(t, t[LAZY]) end
    return function(_, key)
      local k, v = next(t, key)
      if type(v) == "table" and not backing[v] then v = child(t, k, v) end
      return k, v
    end, proxy, nil
  end
  VIEW.__metatable = "read-only"

  -- The event's and the context's views for one plugin's rules. Every
  -- plugin gets its own context view, with its settings, and the same
  -- event view. Written out rather than with the helpers above: it runs
  -- once per plugin and event, and each Lua call costs more than the work.
  local last_settings, last_view, last_event, last_event_view
  local function enter(event, member, settings)
    local n = event_lazy_count
    if event ~= last_event then
      event_thread, event_community = false, false
      for i = 1, n do
        event_lazy[i][LAZY], event_lazy[i] = nil, nil
      end
      n = 0
      if member then
        member[LAZY] = MEMBER
        n = 1
        event_lazy[1] = member
      end
      local proxy = setmetatable({}, VIEW)
      backing[proxy] = event
      last_event, last_event_view, last_settings = event, proxy, nil
      root_event = event
    end
    if settings ~= last_settings then
      last_settings = settings
      local settings_view = settings_views[settings]
      if not settings_view then
        settings_view = view(settings)
        settings_views[settings] = settings_view
      end
      local fields = { member = member or nil, settings = settings_view, [LAZY] = CONTEXT }
      n = n + 1
      event_lazy[n] = fields
      local proxy = setmetatable({}, VIEW)
      backing[proxy] = fields
      last_view, root_ctx = proxy, fields
    end
    event_lazy_count = n
    return last_event_view, last_view
  end

  return enter
  """#
