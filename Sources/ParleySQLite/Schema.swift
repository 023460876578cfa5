import GRDB

/// The database's versioned migrations. Add a new migration for every
/// change; never edit one that has shipped.
enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE community (
            id TEXT PRIMARY KEY NOT NULL,
            name TEXT NOT NULL,
            plugins TEXT NOT NULL              -- JSON: [EnabledPlugin]
          );
          CREATE TABLE member (
            id TEXT PRIMARY KEY NOT NULL,
            community TEXT NOT NULL REFERENCES community(id),
            displayName TEXT NOT NULL,
            role TEXT NOT NULL,
            affiliation TEXT,
            joinedAt DOUBLE NOT NULL,
            trustLevel INTEGER NOT NULL,
            consentSupport BOOLEAN NOT NULL,
            consentNews BOOLEAN NOT NULL,
            consentOffers BOOLEAN NOT NULL,
            posts INTEGER NOT NULL DEFAULT 0,
            repliesToOthers INTEGER NOT NULL DEFAULT 0,
            repliesReceived INTEGER NOT NULL DEFAULT 0,
            questionsAsked INTEGER NOT NULL DEFAULT 0,
            questionsAnswered INTEGER NOT NULL DEFAULT 0,
            score INTEGER NOT NULL DEFAULT 0,
            mutedUntil DOUBLE
          );
          CREATE INDEX member_community ON member(community);
          -- Every consent a member gave or withdrew, for their export.
          CREATE TABLE consentHistory (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            member TEXT NOT NULL,
            purpose TEXT NOT NULL,
            granted BOOLEAN NOT NULL,
            at DOUBLE NOT NULL
          );
          CREATE INDEX consentHistory_member ON consentHistory(member);
          CREATE TABLE thread (
            id TEXT PRIMARY KEY NOT NULL,
            community TEXT NOT NULL,
            title TEXT NOT NULL,
            opener TEXT NOT NULL,
            status TEXT NOT NULL,
            participants TEXT NOT NULL,        -- JSON: [String]
            tags TEXT NOT NULL,                -- JSON: [String]
            assignedTeam TEXT
          );
          CREATE TABLE message (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            thread TEXT NOT NULL,
            author TEXT NOT NULL,
            text TEXT NOT NULL,
            createdAt DOUBLE NOT NULL,
            replyTo TEXT,
            sponsored BOOLEAN NOT NULL,
            automated BOOLEAN NOT NULL
          );
          CREATE INDEX message_thread ON message(thread, seq);
          CREATE INDEX message_author ON message(author);
          -- The audit log: every decision, append-only.
          CREATE TABLE decision (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            community TEXT NOT NULL,
            kind TEXT NOT NULL,
            member TEXT,
            message TEXT,
            verdict TEXT NOT NULL,
            revision TEXT NOT NULL,
            decidedAt DOUBLE NOT NULL,
            explanation TEXT NOT NULL,
            body TEXT NOT NULL                 -- JSON: Decision, with its event and provenance
          );
          CREATE INDEX decision_community ON decision(community, seq);
          CREATE INDEX decision_member ON decision(member);
          CREATE INDEX decision_message ON decision(message);
          CREATE TRIGGER decision_append_only_update BEFORE UPDATE ON decision
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
          CREATE TRIGGER decision_append_only_delete BEFORE DELETE ON decision
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
          CREATE TABLE review (
            message TEXT PRIMARY KEY NOT NULL,
            community TEXT NOT NULL,
            reasons TEXT NOT NULL,             -- JSON: [String]
            heldAt DOUBLE NOT NULL
          );
          CREATE TABLE pluginState (
            community TEXT NOT NULL,
            plugin TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,               -- JSON: TimerValue
            expires DOUBLE,
            PRIMARY KEY (community, plugin, key)
          );
          CREATE TABLE timer (
            id TEXT PRIMARY KEY NOT NULL,
            community TEXT NOT NULL,
            plugin TEXT NOT NULL,
            name TEXT NOT NULL,
            due DOUBLE NOT NULL,
            thread TEXT,
            data TEXT NOT NULL                 -- JSON: [String: TimerValue]
          );
          CREATE INDEX timer_due ON timer(due);
          """)
    }
    // Accountability: decisions get ids (for appeals), appeals their table,
    // communities their appeal policy.
    migrator.registerMigration("v2") { db in
      try db.execute(
        sql: """
          ALTER TABLE decision ADD COLUMN decisionId TEXT;
          CREATE UNIQUE INDEX decision_id ON decision(decisionId);
          ALTER TABLE community ADD COLUMN appeals TEXT;  -- JSON: AppealPolicy; NULL = the default
          CREATE TABLE appeal (
            decision TEXT PRIMARY KEY NOT NULL,  -- the appealed decision's decisionId
            community TEXT NOT NULL,
            member TEXT NOT NULL,
            filedAt DOUBLE NOT NULL,
            pending BOOLEAN NOT NULL,
            body TEXT NOT NULL                   -- JSON: AppealRecord
          );
          CREATE INDEX appeal_pending ON appeal(community, pending, filedAt);
          """)
    }
    // Triage: a review knows its kind, author, rules, decision and reporters.
    migrator.registerMigration("v3") { db in
      try db.execute(
        sql: """
          ALTER TABLE review ADD COLUMN kind TEXT NOT NULL DEFAULT 'held';
          ALTER TABLE review ADD COLUMN member TEXT;
          ALTER TABLE review ADD COLUMN rules TEXT NOT NULL DEFAULT '[]';      -- JSON: [Provenance]
          ALTER TABLE review ADD COLUMN decision TEXT;
          ALTER TABLE review ADD COLUMN reporters TEXT NOT NULL DEFAULT '[]';  -- JSON: [String]
          CREATE INDEX review_community ON review(community, heldAt);
          """)
    }
    // How far each open store's writes have reached, written with them: a
    // store's cache reads a row and knows which of its own changes the
    // row already holds (see ContextCache).
    migrator.registerMigration("v4") { db in
      try db.execute(
        sql: """
          CREATE TABLE writeMark (
            store TEXT PRIMARY KEY NOT NULL,
            seq INTEGER NOT NULL
          );
          """)
    }
    return migrator
  }
}
