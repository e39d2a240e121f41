import { type Kysely, sql } from 'kysely';

// Frozen in time: never import app code here.
//
// Smart assignment. `agent_skills`: the categories an agent takes (`skills @who access,network`).
// `agent_away`: agents out of rotation (`away @who [until <date>]`), `until` null while no date was
// given. `assignment_cursor`: one row, the last agent given a ticket automatically; every automatic
// assignment locks it (`for update`), so concurrent filings never read the same "next" agent. The
// mode itself (`config assignment off|round-robin|load|skills`) is the `assignment` setting.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agent_skills')
    .addColumn('person_id', 'integer', (c) => c.notNull().references('people.id').onDelete('cascade'))
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('agent_skills_pkey', ['person_id', 'category'])
    .execute();
  await db.schema.createIndex('agent_skills_category_idx').on('agent_skills').column('category').execute();
  await db.schema
    .createTable('agent_away')
    .addColumn('person_id', 'integer', (c) => c.primaryKey().references('people.id').onDelete('cascade'))
    .addColumn('until', 'timestamptz')
    .addColumn('set_by', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('set_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createTable('assignment_cursor')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('last_person_id', 'integer', (c) => c.references('people.id').onDelete('set null'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.insertInto('assignment_cursor').values({ id: 1, last_person_id: null }).execute();
  // Load counts open tickets per assignee.
  await db.schema
    .createIndex('tickets_assignee_status_idx')
    .on('tickets')
    .columns(['assignee_id', 'status'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('tickets_assignee_status_idx').ifExists().execute();
  await db.schema.dropTable('assignment_cursor').ifExists().execute();
  await db.schema.dropTable('agent_away').ifExists().execute();
  await db.schema.dropTable('agent_skills').ifExists().execute();
}
