import type { Kysely } from 'kysely';

// Hardening (issue 13).
// - login_throttle: counted attempts, one row per key, written atomically by
//   one upsert before the password is checked (platform/throttle.ts): the
//   wrong passwords of one client address on one account (5, then that
//   address is locked out of that account), of one address on any account
//   (then 429), and the current-password checks of a password change. The
//   counts are rows, not memory: two app servers share them and a restart
//   forgets nothing. users.failed_logins / locked_until are no longer written.
// - api_tokens.roles: a token may act with some of its user's roles (JSON
//   array; null: all of them).
// - demands.idempotency_hash: the request an Idempotency-Key was first used
//   with, so that the key reused with another body is refused (422).
// - settings: small documents an admin edits (the password policy first).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('key', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_throttle_user_idx').on('login_throttle').column('user_id').execute();
  await db.schema.alterTable('api_tokens').addColumn('roles', 'text').execute();
  await db.schema.alterTable('demands').addColumn('idempotency_hash', 'varchar(64)').execute();
  await db.schema
    .createTable('settings')
    .addColumn('key', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('value_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('settings').execute();
  await db.schema.alterTable('demands').dropColumn('idempotency_hash').execute();
  await db.schema.alterTable('api_tokens').dropColumn('roles').execute();
  await db.schema.dropTable('login_throttle').execute();
}
