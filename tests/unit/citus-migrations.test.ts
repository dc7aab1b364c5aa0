import { describe, expect, it } from 'vitest';
import { citusMigrationSql, splitStatements } from '../../src/db/citus.js';

describe('migrations on a distributed Citus database', () => {
  it('split a script on the semicolons outside quotes, comments and function bodies', () => {
    const script = `-- a comment; not a statement
CREATE TABLE "a" ("x" TEXT DEFAULT 'a;b');
/* block; comment */ UPDATE "a" SET "x" = ';';
CREATE FUNCTION f() RETURNS trigger AS $body$ BEGIN NEW.x := 'y'; RETURN NEW; END; $body$ LANGUAGE plpgsql;
-- trailing comment
`;
    const parts = splitStatements(script).map((s) => s.trim());
    expect(parts).toHaveLength(3);
    expect(parts[0]).toContain(`DEFAULT 'a;b')`);
    expect(parts[2]).toMatch(/^CREATE FUNCTION[\s\S]*\$body\$ LANGUAGE plpgsql$/);
    expect(() => splitStatements(`SELECT 'open`)).toThrow(/unterminated/);
  });

  it('place a new company table once created, keyed by (company_id, id), without ON UPDATE CASCADE', () => {
    const sql = citusMigrationSql(`CREATE TABLE "notes" (
    "id" SERIAL NOT NULL,
    "company_id" INTEGER NOT NULL,

    CONSTRAINT "notes_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "notes" ADD CONSTRAINT "notes_company_id_fkey" FOREIGN KEY ("company_id")
  REFERENCES "companies"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`);
    expect(sql).toContain('PRIMARY KEY ("company_id", "id")');
    expect(sql).toMatch(/\);\nSELECT create_distributed_table\('notes', 'company_id', colocate_with => 'companies'\);/);
    expect(sql).not.toContain('ON UPDATE CASCADE');
    expect(citusMigrationSql(`CREATE TABLE "session" (\n    "sid" TEXT NOT NULL\n);`)).not.toContain('create_');
  });
});
