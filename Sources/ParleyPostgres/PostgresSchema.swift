import Foundation

/// The database's versioned migrations, applied in order by the first host
/// to connect; the others wait on a lock, then find them done. Add a new
/// migration for every change; never edit one that has shipped.
enum PostgresSchema {
  /// Taken while migrating, so two hosts starting together migrate once.
  static let migrationLock: Int64 = 0x5061_726C_6579_0001

  /// Each migration's statements, one by one: the extended protocol runs
  /// one statement at a time. A statement ends with `;` at the end of a line.
  static func statements(_ migration: String) -> [String] {
    migration.split(separator: ";\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .filter { !$0.isEmpty }
  }

  static let migrations: [String] = [
    // v1: everything the SQLite store keeps, in the Parley schema.
    """
    CREATE TABLE community (
      id text PRIMARY KEY,
      name text NOT NULL,
      plugins text NOT NULL,              -- JSON: [EnabledPlugin]
      appeals text NOT NULL               -- JSON: AppealPolicy
    );
    CREATE TABLE member (
      id text PRIMARY KEY,
      community text NOT NULL,
      display_name text NOT NULL,
      role text NOT NULL,
      affiliation text,
      joined_at float8 NOT NULL,
      trust_level bigint NOT NULL,
      consent_support boolean NOT NULL,
      consent_news boolean NOT NULL,
      consent_offers boolean NOT NULL,
      posts bigint NOT NULL DEFAULT 0,
      replies_to_others bigint NOT NULL DEFAULT 0,
      replies_received bigint NOT NULL DEFAULT 0,
      questions_asked bigint NOT NULL DEFAULT 0,
      questions_answered bigint NOT NULL DEFAULT 0,
      score bigint NOT NULL DEFAULT 0,
      muted_until float8
    );
    CREATE INDEX member_community ON member (community, id);
    -- Every consent a member gave or withdrew, for their export.
    CREATE TABLE consent_history (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      member text NOT NULL,
      purpose text NOT NULL,
      granted boolean NOT NULL,
      at float8 NOT NULL
    );
    CREATE INDEX consent_history_member ON consent_history (member);
    CREATE TABLE thread (
      id text PRIMARY KEY,
      community text NOT NULL,
      title text NOT NULL,
      opener text NOT NULL,
      status text NOT NULL,
      participants text NOT NULL,         -- JSON: [String]
      tags text NOT NULL,                 -- JSON: [String]
      assigned_team text
    );
    CREATE INDEX thread_community ON thread (community, id);
    CREATE TABLE message (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id text NOT NULL UNIQUE,
      thread text NOT NULL,
      author text NOT NULL,
      text text NOT NULL,
      created_at float8 NOT NULL,
      reply_to text,
      sponsored boolean NOT NULL,
      automated boolean NOT NULL
    );
    CREATE INDEX message_thread ON message (thread, seq);
    -- The audit log: every decision, append-only.
    CREATE TABLE decision (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id text NOT NULL UNIQUE,
      community text NOT NULL,
      kind text NOT NULL,
      member text,
      message text,
      verdict text NOT NULL,
      revision text NOT NULL,
      decided_at float8 NOT NULL,
      explanation text NOT NULL,
      body text NOT NULL                  -- JSON: Decision, with its event and provenance
    );
    CREATE INDEX decision_community ON decision (community, seq);
    CREATE INDEX decision_decided_at ON decision (decided_at);
    CREATE INDEX decision_member ON decision (member);
    CREATE INDEX decision_message ON decision (message);
    CREATE FUNCTION decision_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
    CREATE TRIGGER decision_append_only BEFORE UPDATE OR DELETE ON decision
      FOR EACH ROW EXECUTE FUNCTION decision_append_only();
    CREATE TABLE review (
      seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      message text NOT NULL UNIQUE,
      community text NOT NULL,
      held_at float8 NOT NULL,
      body text NOT NULL                  -- JSON: Review
    );
    CREATE INDEX review_community ON review (community, held_at, seq);
    CREATE TABLE appeal (
      decision text PRIMARY KEY,
      community text NOT NULL,
      member text NOT NULL,
      filed_at float8 NOT NULL,
      pending boolean NOT NULL,
      body text NOT NULL                  -- JSON: AppealRecord
    );
    CREATE INDEX appeal_pending ON appeal (community, pending, filed_at);
    -- Counters live in `integer`, numbers in `number`, other values as JSON.
    CREATE TABLE plugin_state (
      community text NOT NULL,
      plugin text NOT NULL,
      key text NOT NULL,
      integer bigint,
      number float8,
      value text,                         -- JSON: TimerValue (strings, booleans)
      expires float8,
      PRIMARY KEY (community, plugin, key)
    );
    -- A claimed timer is leased, not deleted: the commit of its decision
    -- deletes it, so a host that dies holding it only delays it.
    CREATE TABLE timer (
      id text PRIMARY KEY,
      community text NOT NULL,
      plugin text NOT NULL,
      name text NOT NULL,
      due float8 NOT NULL,
      thread text,
      data text NOT NULL,                 -- JSON: [String: TimerValue]
      leased_until timestamptz
    );
    CREATE INDEX timer_due ON timer (due);
    """
  ]
}
