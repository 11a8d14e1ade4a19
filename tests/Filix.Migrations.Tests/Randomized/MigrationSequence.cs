using Filix.Generators.Parsing;
using Filix.Runtime;
using Filix.Runtime.Migrations;
using Filix.Testing.Postgres;
using Npgsql;
using Xunit.Sdk;

namespace Filix.Migrations.Tests.Randomized;

/// <summary>
/// One seeded sequence: a temporary project (<see cref="TestHistory"/>: the build's recorder and what generated code
/// hands the runtime), a SQLite file, and two Postgres databases of the shared cluster (the upstream, and a scratch one
/// recreated from the DDL at each step for comparison). The harness keeps its own schema model and row models and
/// predicts every outcome from them; Filix's answer must match.
/// </summary>
internal sealed class MigrationSequence : IAsyncDisposable
{
    /// <summary>Only the migration matters here: no shared writer to start and stop at every open.</summary>
    private static readonly FilixOptions Options = new() { ShareWriter = false };

    private readonly int _seed;
    private readonly Random _rng;
    private readonly TestHistory _history = new();
    private readonly List<string> _log = [];
    private NpgsqlConnection _upstream = null!;
    private NpgsqlConnection _fresh = null!;
    private RSchema _schema = new();
    private RowModel _sqliteRows = new(postgres: false);
    private RowModel _postgresRows = new(postgres: true);
    private string _yaml = string.Empty;

    private MigrationSequence(int seed)
    {
        _seed = seed;
        _rng = new Random(seed);
    }

    private string DatabasePath => _history.DatabasePath();

    public static async Task<MigrationSequence> StartAsync(int seed, PostgresFixture postgres)
    {
        var sequence = new MigrationSequence(seed);
        sequence._upstream = await OpenAsync(await postgres.CreateDatabaseAsync($"random_{seed}"));
        sequence._fresh = await OpenAsync(await postgres.CreateDatabaseAsync($"random_{seed}_fresh"));
        await sequence.CreateAsync();
        return sequence;
    }

    /// <summary>Step 0: a new schema of two to four tables, created in both databases and filled.</summary>
    private async Task CreateAsync()
    {
        var next = new RSchema();
        var edits = Enumerable.Range(0, _rng.Next(2, 5)).Select(_ => RandomEdits.AddTable(_rng, next)!).ToList();
        var yaml = next.Render(null, [], new LineMap());
        var context = Context(0, edits, yaml);
        CheckParses(yaml, context);
        var result = _history.Record(yaml);
        Check(result.Diagnostics.Count == 0, context, "the first version was refused: " + string.Join("\n", result.Diagnostics));
        await ApplyAsync(next, _sqliteRows.Project(_schema, next).Next, _postgresRows.Project(_schema, next).Next, yaml, context);
    }

    public async Task StepAsync(int step)
    {
        var next = _schema.Clone();
        var edits = Enumerable.Range(0, _rng.Next(1, 4)).Select(_ => RandomEdits.ApplyOne(_rng, next)).ToList();
        var lint = ExpectedLint(_schema, next);
        var consent = lint.Where(l => l.Ids is not ["FLX0106"] && _rng.Next(5) < 3).Select(l => l.Element).Distinct().ToList();
        var lines = new LineMap();
        var yaml = next.Render(_schema, consent, lines);
        var context = Context(step, edits, yaml);
        CheckParses(yaml, context);

        var before = Snapshot(_history.HistoryDir);
        var result = _history.Record(yaml);
        var (refused, unsupported) = Judge(lint, consent, lines, result.Diagnostics, context);
        if (refused)
        {
            Check(Same(Snapshot(_history.HistoryDir), before), context, "a refused build wrote migration files");
            if (!unsupported)
            {
                // As a user would: say the loss is intended, build again.
                consent = lint.Select(l => l.Element).Distinct().ToList();
                yaml = next.Render(_schema, consent, lines);
                context = Context(step, edits, yaml);
                result = _history.Record(yaml);
                (_, unsupported) = Judge(lint, consent, lines, result.Diagnostics, context);
            }

            if (unsupported)
            {
                Check(Same(Snapshot(_history.HistoryDir), before), context, "a refused build wrote migration files");
                _log.Add($"step {step}: {string.Join("; ", edits)} -> refused by the build (FLX0106), reverted");
                return;
            }
        }

        var (sqliteNext, sqliteProblems) = _sqliteRows.Project(_schema, next);
        var (postgresNext, postgresProblems) = _postgresRows.Project(_schema, next);
        if (sqliteProblems.Count > 0 || postgresProblems.Count > 0)
        {
            var schema = _history.Schema();
            if (sqliteProblems.Count > 0)
            {
                await ExpectRefusedAsync("SQLite", sqliteProblems, context, schema, SqliteState,
                    async () => await (await FilixDatabase.OpenAsync(DatabasePath, schema, Options)).DisposeAsync());
            }

            if (postgresProblems.Count > 0)
            {
                await ExpectRefusedAsync("Postgres", postgresProblems, context, schema, () => PostgresCatalog.State(_upstream, _schema, _postgresRows),
                    () => PostgresMigrations.MigrateAsync(_upstream, schema));
            }

            // As a user would: the migration cannot apply to these rows, so it is taken back (no database applied it).
            Restore(_history.HistoryDir, before);
            _log.Add($"step {step}: {string.Join("; ", edits)} -> refused by data checks ({string.Join("; ", sqliteProblems.Concat(postgresProblems))}), reverted");
            return;
        }

        _log.Add($"step {step}: {string.Join("; ", edits)}");
        await ApplyAsync(next, sqliteNext, postgresNext, yaml, context);
    }

    /// <summary>Migrates both databases, compares them with fresh ones of the new YAML, then adds rows.</summary>
    private async Task ApplyAsync(RSchema next, RowModel sqliteRows, RowModel postgresRows, string yaml, string context)
    {
        var schema = _history.Schema();
        var migration = schema.Migrations.Count > 0 ? schema.Migrations[^1] : null;
        var sql = migration is null ? "(no migration)" : $"{migration}\n--- SQLite:\n{migration.SqliteSql}\n--- Postgres:\n{migration.PostgresSql}";
        try
        {
            await (await FilixDatabase.OpenAsync(DatabasePath, schema, Options)).DisposeAsync();
        }
        catch (Exception ex)
        {
            throw Failure(context, $"SQLite: the migration must apply, but opening the database failed: {ex.GetType().Name}: {ex.Message}\n{sql}\n" +
                $"--- The database now:\n{SqliteState()}");
        }

        try
        {
            await PostgresMigrations.MigrateAsync(_upstream, schema);
        }
        catch (Exception ex)
        {
            throw Failure(context, $"Postgres: the migration must apply, but it failed: {ex.GetType().Name}: {ex.Message}\n{sql}");
        }

        _schema = next;
        _yaml = yaml;
        _sqliteRows = sqliteRows;
        _postgresRows = postgresRows;
        await CompareWithFreshAsync(context, sql);
        CheckRows(context + "\n" + sql);
        Populate();
        CheckRows(context);
    }

    private async Task CompareWithFreshAsync(string context, string sql)
    {
        var fresh = _history.DatabasePath("fresh.db");
        File.Delete(fresh);
        await (await FilixDatabase.OpenAsync(fresh, _history.Schema(withMigrations: false), Options)).DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var expected = SqliteDump.Schema(fresh);
        var actual = SqliteDump.Schema(DatabasePath);
        Check(expected == actual, context, $"SQLite: the migrated schema differs from a fresh database of the new YAML.\n{Diff(expected, actual)}\n{sql}");

        PostgresCatalog.Execute(_fresh, "DROP SCHEMA IF EXISTS library CASCADE; CREATE SCHEMA library");
        var ddl = _history.Schema(withMigrations: false).PostgresDdl;
        try
        {
            if (ddl.Count > 0)
            {
                PostgresCatalog.Execute(_fresh, string.Join(";\n", ddl));
            }
        }
        catch (PostgresException ex)
        {
            throw Failure(context, $"Postgres: the DDL of the new YAML does not apply to an empty database: {ex.MessageText}\n{string.Join(";\n", ddl)}");
        }

        expected = PostgresCatalog.Dump(_fresh);
        actual = PostgresCatalog.Dump(_upstream);
        Check(expected == actual, context, $"Postgres: the migrated schema differs from a fresh database of the new YAML.\n{Diff(expected, actual)}\n{sql}");
    }

    private void CheckRows(string context)
    {
        using (var connection = SqliteDump.Open(DatabasePath))
        {
            var actual = _sqliteRows.Read(_schema, sql =>
            {
                var command = connection.CreateCommand();
                command.CommandText = sql;
                return command.ExecuteReader();
            });
            var expected = _sqliteRows.Expected(_schema);
            Check(expected.SequenceEqual(actual), context, "SQLite: the rows are not what the edits promise.\n" + Diff(string.Join("\n", expected), string.Join("\n", actual)));
        }

        var rows = _postgresRows.Read(_schema, sql => new NpgsqlCommand(sql, _upstream).ExecuteReader());
        var model = _postgresRows.Expected(_schema);
        Check(model.SequenceEqual(rows), context, "Postgres: the rows are not what the edits promise.\n" + Diff(string.Join("\n", model), string.Join("\n", rows)));
    }

    /// <summary>Up to four new rows per table (a table may stay empty), through plain SQL in the stored forms; each dialect gets the rows
    /// that fit its own rows (the upstream lacks local tables and the rows of tables shared later).</summary>
    private void Populate()
    {
        var sqlite = new List<string>();
        var postgres = new List<string>();
        foreach (var table in _schema.Tables)
        {
            for (var i = _rng.Next(0, 5); i > 0; i--)
            {
                if (_sqliteRows.NewRow(_rng, _schema, table) is not { } row || !_sqliteRows.Fits(_schema, table, row))
                {
                    continue;
                }

                _sqliteRows.Of(table).Add(row);
                sqlite.Add(RowModel.Insert(table, row, postgres: false));
                if (_postgresRows.Fits(_schema, table, row))
                {
                    _postgresRows.Of(table).Add(row);
                    postgres.Add(RowModel.Insert(table, row, postgres: true));
                }
            }
        }

        if (sqlite.Count > 0)
        {
            SqliteDump.Execute(DatabasePath, "BEGIN;\n" + string.Join(";\n", sqlite) + ";\nCOMMIT;");
        }

        if (postgres.Count > 0)
        {
            PostgresCatalog.Execute(_upstream, "BEGIN;\n" + string.Join(";\n", postgres) + ";\nCOMMIT;");
        }
    }

    private async Task ExpectRefusedAsync(string dialect, List<Problem> problems, string context, DatabaseSchema schema, Func<string> state, Func<Task> migrate)
    {
        var before = state();
        var error = await Record.ExceptionAsync(migrate);
        var sql = $"{schema.Migrations[^1]}\n--- SQLite:\n{schema.Migrations[^1].SqliteSql}\n--- Postgres:\n{schema.Migrations[^1].PostgresSql}";
        Check(error is FilixException, context,
            $"{dialect}: the rows cannot be carried ({string.Join("; ", problems)}), so the migration must be refused before anything changes, but " +
            (error is null ? "it applied." : $"it failed with {error.GetType().Name}: {error.Message}") + "\n" + sql);
        Check(state() == before, context, $"{dialect}: the refused migration changed the database ({error!.Message})");
        var named = problems.Any(p => p.Tables.Any(t => error.Message.Contains(t, StringComparison.Ordinal))
            && (p.Reference || p.Columns.Any(c => error.Message.Contains(c, StringComparison.Ordinal))));
        Check(named, context, $"{dialect}: the refusal must name the table and column of one of: {string.Join("; ", problems)}.\nIt says: {error.Message}\n{sql}");
    }

    private string SqliteState()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var connection = SqliteDump.Open(DatabasePath);
        var rows = _sqliteRows.Read(_schema, sql =>
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            return command.ExecuteReader();
        });
        return SqliteDump.Schema(DatabasePath) + string.Join("\n", SqliteDump.Rows(DatabasePath, "SELECT id, checksum FROM _filix_migrations ORDER BY id")) + "\n" + string.Join("\n", rows);
    }

    /// <summary>
    /// Checks the build's diagnostics against the expected lint: every change not allowed must be reported at its
    /// line (by one of the ids it may get), nothing else may be. Returns whether the build refused, and whether it
    /// refused a type change no consent makes possible (FLX0106; then the edit is taken back).
    /// </summary>
    private static (bool Refused, bool Unsupported) Judge(List<(string[] Ids, string Element, Func<LineMap, int> Line)> lint, List<string> consent, LineMap lines,
        IReadOnlyList<Filix.Generators.Diagnostics.SchemaDiagnostic> diagnostics, string context)
    {
        var required = lint.Where(l => !consent.Contains(l.Element) || l.Ids is ["FLX0106"]).ToList();
        var optional = lint.Where(l => consent.Contains(l.Element) && l.Ids.Length > 1 && l.Ids.Contains("FLX0106")).ToList();
        var unexpected = new List<string>();
        foreach (var diagnostic in diagnostics)
        {
            bool Fits((string[] Ids, string Element, Func<LineMap, int> Line) l, string id) => l.Line(lines) == diagnostic.Span.StartLine && l.Ids.Contains(id);
            var index = required.FindIndex(l => Fits(l, diagnostic.Id));
            if (index >= 0)
            {
                required.RemoveAt(index);
            }
            else if (diagnostic.Id == "FLX0106" && optional.FindIndex(l => Fits(l, diagnostic.Id)) is var o and >= 0)
            {
                optional.RemoveAt(o);
            }
            else
            {
                unexpected.Add($"{diagnostic.Id} at line {diagnostic.Span.StartLine + 1}: {diagnostic.Message}");
            }
        }

        Check(required.Count == 0 && unexpected.Count == 0, context,
            "the build must refuse exactly the destructive changes not allowed, each at its YAML line.\n" +
            $"Not reported:\n  {string.Join("\n  ", required.Select(l => $"{string.Join(" or ", l.Ids)} at line {l.Line(lines) + 1} ({l.Element})"))}\n" +
            $"Reported but not expected:\n  {string.Join("\n  ", unexpected)}");
        return (diagnostics.Count > 0, diagnostics.Any(d => d.Id == "FLX0106"));
    }

    /// <summary>What the destructive-change lint must report (docs/migrations.md), derived from the ids: the
    /// element as <c>allow_destructive</c> names it and where the diagnostic points.</summary>
    private static List<(string[] Ids, string Element, Func<LineMap, int> Line)> ExpectedLint(RSchema before, RSchema after)
    {
        var lint = new List<(string[], string, Func<LineMap, int>)>();
        foreach (var dropped in before.Tables.Where(t => after.TableOrNull(t.Id) is null))
        {
            // A renamed table that takes the dropped one's name: reported at its renamed_from line (FLX0107).
            if (after.Tables.FirstOrDefault(t => t.Name == dropped.Name && before.TableOrNull(t.Id) is { } was && was.Name != t.Name) is { } heir)
            {
                lint.Add((["FLX0107"], dropped.Name, l => l.TableRenamedFrom[heir.Id]));
            }
            else
            {
                lint.Add((["FLX0101"], dropped.Name, l => l.Tables));
            }
        }

        foreach (var table in after.Tables)
        {
            if (before.TableOrNull(table.Id) is not { } old)
            {
                continue;
            }

            foreach (var dropped in old.Columns.Where(c => table.ColumnOrNull(c.Id) is null))
            {
                // A renamed column that takes the dropped one's name: reported on its line, at renamed_from (FLX0108).
                if (table.Columns.FirstOrDefault(c => c.Name == dropped.Name && old.ColumnOrNull(c.Id) is { } was && was.Name != c.Name) is { } heir)
                {
                    lint.Add((["FLX0108"], $"{table.Name}.{dropped.Name}", l => l.Column[(table.Id, heir.Id)]));
                }
                else
                {
                    lint.Add((["FLX0102"], $"{table.Name}.{dropped.Name}", l => l.TableColumns[table.Id]));
                }
            }

            foreach (var column in table.Columns)
            {
                var element = $"{table.Name}.{column.Name}";
                int At(LineMap l) => l.Column[(table.Id, column.Id)];
                if (old.ColumnOrNull(column.Id) is not { } was)
                {
                    if (!column.Nullable && column.Default is null)
                    {
                        lint.Add((["FLX0104"], element, At));
                    }

                    continue;
                }

                if (was.Type == FieldType.Blob && column.Type == FieldType.Text)
                {
                    lint.Add((["FLX0106"], element, At));
                }
                else if (was.Type != column.Type && !Values.Widens(was.Type, column.Type))
                {
                    // Postgres has no bigint to jsonb cast: refusing the change at the line is as right as converting.
                    lint.Add((Values.MayBeUnsupported(was.Type, column.Type) ? ["FLX0103", "FLX0106"] : ["FLX0103"], element, At));
                }

                if (was.Nullable && !column.Nullable && column.Default is null)
                {
                    lint.Add((["FLX0104"], element, At));
                }
            }

            if (old.Shared && !table.Shared)
            {
                lint.Add((["FLX0105"], table.Name, l => l.TableSync[table.Id]));
            }
        }

        return lint;
    }

    private void CheckParses(string yaml, string context)
    {
        var parsed = SchemaParser.Parse(_history.SchemaFile, yaml, string.Empty);
        Check(parsed.Diagnostics.Count == 0, context, "the harness wrote a schema the parser refuses (a harness bug or a parser bug):\n  " + string.Join("\n  ", parsed.Diagnostics));
    }

    private string Context(int step, List<string> edits, string yaml) =>
        $"Seed {_seed} (replay: FILIX_RANDOM_SEED={_seed}), step {step}: {string.Join("; ", edits)}\n" +
        $"Earlier steps:\n  {string.Join("\n  ", _log)}\n--- YAML before:\n{_yaml}--- YAML after:\n{yaml}---\n" +
        $"Rows before the step (SQLite; the upstream holds those of shared tables):\n  {string.Join("\n  ", _sqliteRows.Expected(_schema).Take(40))}";

    private static void Check(bool condition, string context, string message)
    {
        if (!condition)
        {
            throw Failure(context, message);
        }
    }

    private static XunitException Failure(string context, string message) => new($"{message}\n\n{context}");

    private static string Diff(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        return "Only in the expected (fresh / promised):\n  " + string.Join("\n  ", e.Except(a).Take(12)) +
               "\nOnly in the actual (migrated):\n  " + string.Join("\n  ", a.Except(e).Take(12));
    }

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes)
            : [];

    private static bool Same(Dictionary<string, byte[]> a, Dictionary<string, byte[]> b) =>
        a.Count == b.Count && a.All(x => b.TryGetValue(x.Key, out var bytes) && bytes.AsSpan().SequenceEqual(x.Value));

    private static void Restore(string folder, Dictionary<string, byte[]> snapshot)
    {
        foreach (var file in Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Where(f => !snapshot.ContainsKey(f)))
        {
            File.Delete(file);
        }

        foreach (var (file, bytes) in snapshot)
        {
            File.WriteAllBytes(file, bytes);
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        // Unpooled: two databases per sequence, and idle pooled connections to each would exhaust the cluster.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        PostgresCatalog.Execute(connection, PostgresCatalog.SearchPath + "; " + PostgresCatalog.Settings);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _fresh.DisposeAsync();
        _history.Dispose();
    }
}
