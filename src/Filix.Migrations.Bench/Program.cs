using System.Diagnostics;
using System.Globalization;
using Filix.Migrations.Tool;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Microsoft.Data.Sqlite;

// A table of N rows at version 1, then version 2 changes a column's type and makes another NOT NULL with a
// default: SQLite cannot ALTER that, so the migration rebuilds the table (INSERT INTO new SELECT ... FROM old).
// The rows are generated and copied inside SQLite; .NET never holds them, which the peak working set shows.
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
const string V1 = """
    domain: bench
    tables:
      items:
        sync: sync
        columns:
          id: { type: integer, primary_key: true }
          name: text
          price: { type: integer, nullable: true }
          note: { type: text, nullable: true }
        indexes:
          - [name]
    """;
var v2 = V1.Replace("price: { type: integer, nullable: true }", "price: { type: real, nullable: true }")
    .Replace("note: { type: text, nullable: true }", "note: { type: text, default: \"\" }");

var root = Path.Combine(Path.GetTempPath(), "filix-bench-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(Path.Combine(root, "schema"));
var yaml = Path.Combine(root, "schema", "bench.filix.yaml");
var history = Path.Combine(root, "schema", "migrations");
var database = Path.Combine(root, "bench.db");
try
{
    File.WriteAllText(yaml, V1);
    MigrationRecorder.Record(yaml, history);
    await using (await FilixDatabase.OpenAsync(database, Schema()))
    {
    }

    using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
    {
        connection.Open();
        using var fill = connection.CreateCommand();
        fill.CommandText = $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows}) " +
                           "INSERT INTO items (id, name, price, note) SELECT i, 'item ' || i, i % 1000, CASE WHEN i % 3 = 0 THEN 'n' END FROM n";
        fill.ExecuteNonQuery();
    }

    File.WriteAllText(yaml, v2);
    var recorded = MigrationRecorder.Record(yaml, history);
    if (recorded.Failed || recorded.Created is null)
    {
        throw new InvalidOperationException("recording the rebuild migration failed: " + string.Join("; ", recorded.Diagnostics));
    }

    var schema = Schema();
    var clock = Stopwatch.StartNew();
    var report = await SqliteMigrations.MigrateAsync(database, schema);
    clock.Stop();
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    Console.WriteLine($"migration: {string.Join(", ", report.Pending)} (rebuild: {schema.Migrations[^1].SqliteSql.Contains("_filix_new_", StringComparison.Ordinal)})");
    Console.WriteLine($"rows: {rows:N0}  time: {clock.Elapsed.TotalSeconds:F2} s  rows/s: {rows / clock.Elapsed.TotalSeconds:N0}  peak working set: {process.PeakWorkingSet64 / (1024.0 * 1024):F0} MiB  file: {new FileInfo(database).Length / (1024.0 * 1024):F0} MiB");
}
finally
{
    SqliteConnection.ClearAllPools();
    Directory.Delete(root, recursive: true);
}

DatabaseSchema Schema() => RuntimeSchema.Load(yaml, history);
