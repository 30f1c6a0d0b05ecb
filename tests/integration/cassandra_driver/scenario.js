// The DataStax Node.js driver against `runnel store`: one scenario per run,
// printing one JSON line (the scenario's findings, or {"error": ...}).
//   node scenario.js HOST:PORT SCENARIO [USER PASSWORD]
// Scenarios: connect, prepared_paging, types, batch, named_and_unset, errors, auth.
'use strict';

const cassandra = require('cassandra-driver');

const [contactPoint, scenario, user, password] = process.argv.slice(2);
const deadline = Number(process.env.SCENARIO_DEADLINE_MS || 25000);

const CLASSIC_KEYSPACE = "CREATE KEYSPACE IF NOT EXISTS spark_streams WITH replication = " +
  "{'class': 'SimpleStrategy', 'replication_factor': '1'}";
const CLASSIC_TABLE = 'CREATE TABLE IF NOT EXISTS spark_streams.created_users (id UUID PRIMARY KEY, ' +
  'first_name TEXT, last_name TEXT, gender TEXT, address TEXT, post_code TEXT, email TEXT, ' +
  'username TEXT, dob TEXT, registered_date TEXT, phone TEXT, picture TEXT)';

function newClient(options = {}) {
  return new cassandra.Client(Object.assign({
    contactPoints: [contactPoint],
    localDataCenter: 'datacenter1',
    socketOptions: { connectTimeout: 5000, readTimeout: 10000 },
  }, options));
}

const scenarios = {
  async connect(client) {
    await client.connect();
    await client.execute(CLASSIC_KEYSPACE);
    await client.execute(CLASSIC_TABLE);
    const table = await client.metadata.getTable('spark_streams', 'created_users');
    const local = await client.execute('SELECT release_version, data_center FROM system.local');
    return {
      protocolVersion: client.controlConnection.protocolVersion,
      hosts: client.hosts.length,
      releaseVersion: local.first().release_version,
      dataCenter: local.first().data_center,
      columns: table.columns.map((c) => c.name).sort(),
      partitionKey: table.partitionKeys.map((c) => c.name),
      idType: table.columnsByName.id.type.code,
    };
  },

  async prepared_paging(client) {
    await client.connect();
    await client.execute(CLASSIC_KEYSPACE);
    await client.execute('CREATE TABLE IF NOT EXISTS spark_streams.node_paged (id uuid PRIMARY KEY, n int)');
    const insert = 'INSERT INTO spark_streams.node_paged (id, n) VALUES (?, ?)';
    const count = 175;
    // Many in flight at once on the driver's connections.
    await Promise.all(Array.from({ length: count }, (_, n) =>
      client.execute(insert, [cassandra.types.Uuid.random(), n], { prepare: true })));
    let pages = 0;
    const seen = [];
    let pageState;
    do {
      const result = await client.execute('SELECT n FROM spark_streams.node_paged', [],
        { prepare: true, fetchSize: 40, pageState });
      pages += 1;
      for (const row of result.rows) seen.push(row.n);
      pageState = result.pageState;
    } while (pageState);
    seen.sort((a, b) => a - b);
    return { count: seen.length, distinct: new Set(seen).size, pages, first: seen[0], last: seen[seen.length - 1] };
  },

  async types(client) {
    await client.connect();
    await client.execute(CLASSIC_KEYSPACE);
    await client.execute('CREATE TABLE IF NOT EXISTS spark_streams.node_types (k int PRIMARY KEY, ' +
      't text, a ascii, i int, bi bigint, si smallint, ti tinyint, b boolean, f float, d double, ' +
      'dec decimal, vi varint, u uuid, tu timeuuid, ts timestamp, dt date, tm time, bl blob, ' +
      'ip inet, l list<text>, s set<int>, m map<text, int>)');
    const types = cassandra.types;
    const values = {
      t: 'héllo ✓', a: 'ascii', i: -7, bi: types.Long.fromString('-9223372036854775808'),
      si: 32767, ti: -128, b: false, f: 0.5, d: 3.141592653589793,
      dec: types.BigDecimal.fromString('-1.05'), vi: types.Integer.fromString('-123456789012345678901234567890'),
      u: types.Uuid.fromString('6ab09bec-e68e-48d9-a5f8-97e6fb4c9b47'),
      tu: types.TimeUuid.fromString('e4f3b5a0-7b0c-11ee-b962-0242ac120002'),
      ts: new Date(Date.UTC(2024, 0, 31, 12, 30, 45, 123)),
      dt: types.LocalDate.fromString('1969-07-20'), tm: types.LocalTime.fromString('23:59:59.999999999'),
      bl: Buffer.from([0, 255, 1]), ip: types.InetAddress.fromString('10.1.2.3'),
      l: ['a', 'b', 'a'], s: [3, 1, 2], m: { x: 1, y: -1 },
    };
    const columns = Object.keys(values);
    await client.execute(`INSERT INTO spark_streams.node_types (k, ${columns.join(', ')}) VALUES (?, ${columns.map(() => '?').join(', ')})`,
      [1, ...columns.map((c) => values[c])], { prepare: true });
    const row = (await client.execute('SELECT * FROM spark_streams.node_types WHERE k = ?', [1], { prepare: true })).first();
    if (!row) throw new Error('no row back');
    const mismatches = [];
    for (const c of columns) {
      const expected = values[c];
      const got = row[c];
      const same = (expected !== null && typeof expected === 'object' && typeof expected.equals === 'function')
        ? expected.equals(got)
        : (expected instanceof Date ? expected.getTime() === got.getTime()
          : (Buffer.isBuffer(expected) ? expected.equals(got)
            : JSON.stringify(c === 's' ? [...expected].sort() : expected) === JSON.stringify(c === 's' ? [...got].sort() : got)));
      if (!same) mismatches.push({ column: c, expected: String(expected), got: String(got) });
    }
    return { columns: columns.length, mismatches };
  },

  async batch(client) {
    await client.connect();
    await client.execute(CLASSIC_KEYSPACE);
    await client.execute('CREATE TABLE IF NOT EXISTS spark_streams.node_batched (id int PRIMARY KEY, name text)');
    const queries = Array.from({ length: 15 }, (_, i) => ({
      query: 'INSERT INTO spark_streams.node_batched (id, name) VALUES (?, ?)', params: [i, `n${i}`],
    }));
    await client.batch(queries, { prepare: true });
    await client.batch([{ query: "INSERT INTO spark_streams.node_batched (id, name) VALUES (100, 'literal')" }]);
    const result = await client.execute('SELECT id FROM spark_streams.node_batched');
    return { rows: result.rowLength };
  },

  async named_and_unset(client) {
    await client.connect();
    await client.execute(CLASSIC_KEYSPACE);
    await client.execute('CREATE TABLE IF NOT EXISTS spark_streams.node_named (id text PRIMARY KEY, a text, b text)');
    // Values by name in a QUERY (flag 0x40), not prepared: without the
    // table's types the driver encodes JS strings as text (a number would
    // go as a double).
    await client.execute('INSERT INTO spark_streams.node_named (id, a, b) VALUES (:id, :a, :b)',
      { id: 'one', a: 'first a', b: 'first b' });
    // An unset value leaves the column as it was; a null deletes it.
    const update = 'INSERT INTO spark_streams.node_named (id, a, b) VALUES (?, ?, ?)';
    await client.execute(update, ['one', cassandra.types.unset, 'second b'], { prepare: true });
    const afterUnset = (await client.execute("SELECT a, b FROM spark_streams.node_named WHERE id = 'one'")).first();
    await client.execute(update, ['one', null, 'third b'], { prepare: true });
    const afterNull = (await client.execute("SELECT a, b FROM spark_streams.node_named WHERE id = 'one'")).first();
    return { afterUnset: [afterUnset.a, afterUnset.b], afterNull: [afterNull.a, afterNull.b] };
  },

  async errors(client) {
    await client.connect();
    await client.execute(CLASSIC_KEYSPACE);
    const codes = {};
    const attempts = {
      alreadyExists: "CREATE KEYSPACE spark_streams WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'}",
      invalid: 'SELECT * FROM spark_streams.no_such_table',
      syntax: 'SELEKT 1',
    };
    for (const [name, query] of Object.entries(attempts)) {
      try {
        await client.execute(query);
        codes[name] = null;
      } catch (err) {
        codes[name] = { code: err.code, name: err.name, keyspace: err.keyspace };
      }
    }
    const afterwards = await client.execute('SELECT key FROM system.local');
    return { codes, stillServing: afterwards.rowLength === 1 };
  },

  async auth() {
    const client = newClient({ authProvider: new cassandra.auth.PlainTextAuthProvider(user, password) });
    try {
      await client.connect();
      const local = await client.execute('SELECT key FROM system.local');
      return { connected: true, key: local.first().key };
    } catch (err) {
      return { connected: false, message: err.message, innerErrors: Object.values(err.innerErrors || {}).map((e) => e.name) };
    } finally {
      await client.shutdown();
    }
  },
};

async function main() {
  const timer = setTimeout(() => {
    console.log(JSON.stringify({ error: `scenario ${scenario} did not finish in ${deadline} ms` }));
    process.exit(1);
  }, deadline);
  let client;
  try {
    if (!scenarios[scenario]) throw new Error(`unknown scenario ${scenario}`);
    client = scenario === 'auth' ? null : newClient();
    const result = await scenarios[scenario](client);
    console.log(JSON.stringify(result));
  } catch (err) {
    console.log(JSON.stringify({ error: String(err && err.stack || err) }));
    process.exitCode = 1;
  } finally {
    if (client) await client.shutdown();
    clearTimeout(timer);
  }
}

main();
