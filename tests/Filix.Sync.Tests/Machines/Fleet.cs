using System.Text;
using Filix.Runtime;
using Filix.Runtime.Sync;
using Npgsql;
using Xunit.Abstractions;

namespace Filix.Sync.Tests.Machines;

/// <summary>
/// N machines (data folders) sharing one upstream database, the oracle of every write they made, and the seed that
/// drives them. Runs random rounds (writes through every path, syncs interleaved and concurrent), the final sync
/// round, and the exact comparison of every machine with the others, upstream and the oracle.
/// </summary>
/// <remarks>
/// The seed fixes each machine's choices (tables, keys, values, write path, when to sync, batch sizes). Machines run
/// concurrently, so what a pull brings depends on timing; <c>FILIX_SYNC_SERIAL=1</c> runs them one after another for
/// an exact replay.
/// </remarks>
internal sealed class Fleet : IAsyncDisposable
{
    private readonly ITestOutputHelper _log;

    private Fleet(int seed, string upstream, IReadOnlyList<Machine> machines, ITestOutputHelper log)
    {
        Seed = seed;
        Upstream = upstream;
        Machines = machines;
        _log = log;
        Generators = machines.Select(m => new RandomOps(new Random(HashCode.Combine(seed, m.Index, 17)), m)).ToArray();
    }

    public int Seed { get; }

    public string Upstream { get; }

    public IReadOnlyList<Machine> Machines { get; }

    public Oracle Oracle { get; } = new();

    private RandomOps[] Generators { get; }

    public static bool Serial => Environment.GetEnvironmentVariable("FILIX_SYNC_SERIAL") == "1";

    /// <summary><paramref name="count"/> machines with ids <c>m&lt;i&gt;-&lt;8 hex&gt;</c> (the settings file's
    /// shape) holding <paramref name="domains"/>.</summary>
    public static async Task<Fleet> CreateAsync(int seed, int count, string upstream, IReadOnlyList<Domain> domains, ITestOutputHelper log)
    {
        var random = new Random(seed);
        var machines = new List<Machine>();
        for (var i = 1; i <= count; i++)
        {
            machines.Add(await Machine.CreateAsync(i, $"m{i}-{random.Next():x8}", domains));
        }

        log.WriteLine($"seed {seed}: {count} machines ({string.Join(", ", machines.Select(m => m.Id))}); replay with FILIX_RANDOM_SEED={seed} (FILIX_SYNC_SERIAL=1 for an exact replay)");
        return new Fleet(seed, upstream, machines, log);
    }

    /// <summary>The models of the shared tables that sync on every machine (optional ones only where all enabled them).</summary>
    public IReadOnlyList<TableModel> SyncedTables() =>
        Machines[0].Open.SelectMany(o => o.Tables)
            .Where(t => Machines.All(m => m.SyncOptions(Upstream, 1).Syncs(t.Sync)))
            .ToArray();

    public void Log(string line)
    {
        lock (_log)
        {
            _log.WriteLine(line);
        }
    }

    /// <summary>One round: every machine writes a few chunks (each through one path), syncing (or only pushing or
    /// pulling) between some of them; machines run at the same time. Then two machines sync at once.</summary>
    public async Task RandomRoundAsync(int round, IReadOnlyList<TableModel> tables, int opsPerMachine, bool syncs = true)
    {
        var rounds = Machines.Select(m => (Func<Task>)(() => MachineRoundAsync(m, round, tables, opsPerMachine, syncs))).ToArray();
        if (Serial)
        {
            foreach (var run in rounds)
            {
                await run();
            }
        }
        else
        {
            await Task.WhenAll(rounds.Select(r => Task.Run(r)));
        }

        if (!syncs)
        {
            return;
        }

        var random = new Random(HashCode.Combine(Seed, round, 99));
        var pair = Machines.OrderBy(_ => random.Next()).Take(2).ToArray();
        Log($"round {round}: {pair[0].Id} and {pair[1].Id} sync at the same time");
        await Task.WhenAll(pair.Select(m => Task.Run(() => SyncAsync(m, random.Next(1, 30), SyncStep.Both))));
    }

    private async Task MachineRoundAsync(Machine machine, int round, IReadOnlyList<TableModel> tables, int opsPerMachine, bool syncs)
    {
        var random = new Random(HashCode.Combine(Seed, machine.Index, round));
        var generator = Generators[machine.Index - 1];
        var done = 0;
        while (done < opsPerMachine)
        {
            var path = (WritePath)random.Next(3);
            var ops = generator.Chunk(tables, LocalRows.Read(machine), Math.Min(opsPerMachine - done, random.Next(3, 10)), keyChanges: path != WritePath.Repository);
            done += Math.Max(1, ops.Count);
            Oracle.Add(await Writers.WriteAsync(machine, path, ops));
            Log($"round {round}: {machine.Id} wrote {ops.Count} via {path}: {string.Join("; ", ops)}");
            if (syncs && random.Next(2) == 0)
            {
                await SyncAsync(machine, random.Next(1, 40), (SyncStep)random.Next(3));
            }
        }
    }

    public async Task<IReadOnlyList<SyncReport>> SyncAsync(Machine machine, int batchSize, SyncStep step)
    {
        try
        {
            var reports = await machine.SyncAsync(Upstream, batchSize, step);
            Log($"  {machine.Id} {step} (batch {batchSize}): {Describe(reports)}");
            return reports;
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"seed {Seed}: {step} of {machine} (batch {batchSize}) failed: {ex}");
        }
    }

    public static string Describe(IEnumerable<SyncReport> reports) =>
        string.Join(" ", reports.SelectMany(r => r.Tables.Where(t => t.Pushed + t.Pulled + t.Parked > 0)
            .Select(t => $"{r.Domain}.{t.Table}+{t.Pushed}/-{t.Pulled}{(t.Parked > 0 ? $"/parked {t.Parked}" : string.Empty)}")));

    /// <summary>Syncs every machine in turn until a whole pass moves nothing; returns the passes it took.</summary>
    public async Task<int> SyncUntilQuietAsync(int batchSize = 50, int maxPasses = 8)
    {
        for (var pass = 1; pass <= maxPasses; pass++)
        {
            var moved = 0L;
            foreach (var machine in Machines)
            {
                var reports = await SyncAsync(machine, batchSize, SyncStep.Both);
                moved += reports.Sum(r => r.Tables.Sum(t => t.Pushed + t.Pulled));
            }

            if (moved == 0)
            {
                return pass;
            }
        }

        throw new Xunit.Sdk.XunitException($"seed {Seed}: the machines still moved rows after {maxPasses} full sync passes: the sync does not settle.");
    }

    /// <summary>
    /// Every machine's rows of <paramref name="tables"/> equal the oracle's, row for row, and so does the upstream;
    /// nothing is parked or pending; capture's bookkeeping agrees with the rows; upstream holds no tombstone for a
    /// live row.
    /// </summary>
    public async Task AssertConvergedAsync(IReadOnlyList<TableModel> tables)
    {
        var expected = Oracle.Expected();
        var upstream = await Snapshot.UpstreamAsync(Upstream, tables);
        var locals = Machines.Select(m => Snapshot.Local(m, tables)).ToArray();
        var report = new StringBuilder();
        var rows = 0;
        var differences = 0;
        foreach (var table in tables.Select(t => t.ToString()))
        {
            rows += expected[table].Count;
            var keys = new SortedSet<string>(expected[table].Keys.Concat(upstream[table].Keys).Concat(locals.SelectMany(l => l[table].Keys)), StringComparer.Ordinal);
            foreach (var key in keys)
            {
                var want = expected[table].GetValueOrDefault(key);
                var got = locals.Select(l => l[table].GetValueOrDefault(key)).Append(upstream[table].GetValueOrDefault(key)).ToArray();
                if (got.All(g => g == want))
                {
                    continue;
                }

                report.AppendLine($"  {table} {key}:\n    expected (last write wins): {want ?? "(absent)"}");
                for (var i = 0; i < Machines.Count; i++)
                {
                    report.AppendLine($"    {Machines[i].Id}: {(got[i] == want ? "same" : got[i] ?? "(absent)")}");
                }

                report.AppendLine($"    upstream: {(got[^1] == want ? "same" : got[^1] ?? "(absent)")}\n    writes:\n{Oracle.History(table, key)}");
                if (++differences <= 10)
                {
                    report.Append(await VersionsAsync(tables.First(t => t.ToString() == table), key));
                }
            }
        }

        foreach (var machine in Machines)
        {
            Bookkeeping(machine, tables, report);
        }

        await UpstreamBookkeepingAsync(tables, report);
        Assert.True(report.Length == 0, $"seed {Seed}: the machines did not converge ({Oracle.Count} writes, replay with FILIX_RANDOM_SEED={Seed}):\n{report}");
        Log($"converged: {rows} live rows in {tables.Count} tables equal on {Machines.Count} machines and upstream after {Oracle.Count} writes");
    }

    /// <summary>Where each machine and the upstream stand on one key: its capture entry, its upstream version and
    /// tombstone (what a failure needs to tell a lost delete from an echo).</summary>
    private async Task<string> VersionsAsync(TableModel table, string pk)
    {
        var text = new StringBuilder();
        foreach (var machine in Machines)
        {
            var entry = TableModel.Rows(machine[table.Domain.Name].Raw, $"SELECT hlc, origin, deleted FROM {CaptureView.Current} WHERE tbl = $p0 AND pk = $p1", table.Name, pk).SingleOrDefault();
            var parked = TableModel.Rows(machine[table.Domain.Name].Raw, "SELECT direction, hlc, origin, reason FROM \"_filix_parked\" WHERE tbl = $p0 AND pk = $p1", table.Name, pk);
            text.AppendLine($"    {machine.Id} _filix_rows: {(entry is null ? "(none)" : $"hlc {entry[0]} origin {entry[1] ?? "(here)"} deleted {entry[2]}")}"
                + string.Concat(parked.Select(p => $"; parked {p[0]} hlc {p[1]} origin {p[2]}: {p[3]}")));
        }

        await using var connection = new NpgsqlConnection(Upstream);
        await connection.OpenAsync();
        var schema = SqlNames.Quote(table.Domain.Name);
        await using (var command = new NpgsqlCommand($"SELECT \"_filix_version\", \"synced_from\", \"_filix_xid\"::text FROM {schema}.{SqlNames.Quote(table.Name)} WHERE \"_filix_pk\" = $1", connection))
        {
            command.Parameters.AddWithValue(pk);
            await using var reader = await command.ExecuteReaderAsync();
            text.AppendLine(await reader.ReadAsync() ? $"    upstream live: version {reader.GetInt64(0)} from {reader.GetValue(1)} xid {reader.GetString(2)}" : "    upstream live: (none)");
        }

        await using (var command = new NpgsqlCommand($"SELECT \"version\", \"origin\", \"xid\"::text FROM {schema}.\"_filix_tombstones\" WHERE tbl = $1 AND pk = $2", connection))
        {
            command.Parameters.AddWithValue(table.Name);
            command.Parameters.AddWithValue(pk);
            await using var reader = await command.ExecuteReaderAsync();
            text.AppendLine(await reader.ReadAsync() ? $"    upstream tombstone: version {reader.GetInt64(0)} from {reader.GetValue(1)} xid {reader.GetString(2)}" : "    upstream tombstone: (none)");
        }

        return text.ToString();
    }

    private static void Bookkeeping(Machine machine, IReadOnlyList<TableModel> tables, StringBuilder report)
    {
        foreach (var group in tables.GroupBy(t => t.Domain.Name))
        {
            var raw = machine[group.Key].Raw;
            var names = string.Join(", ", group.Select(t => SqlNames.Literal(t.Name)));
            foreach (var parked in TableModel.Rows(raw, $"SELECT tbl, pk, direction, reason FROM \"_filix_parked\" WHERE tbl IN ({names})"))
            {
                report.AppendLine($"  {machine.Id} {group.Key}: parked {parked[2]} {parked[0]} {parked[1]}: {parked[3]}");
            }

            foreach (var pending in TableModel.Rows(raw, $"SELECT r.tbl, count(*) FROM {CaptureView.Current} r LEFT JOIN \"_filix_sync_tables\" s ON s.tbl = r.tbl WHERE r.tbl IN ({names}) AND r.origin IS NULL AND r.hlc > coalesce(s.pushed_hlc, 0) GROUP BY r.tbl"))
            {
                report.AppendLine($"  {machine.Id} {group.Key}.{pending[0]}: {pending[1]} local changes still pending after the final sync");
            }

            foreach (var table in group)
            {
                var join = string.Join(" AND ", table.KeyColumns.Select((k, i) => $"t.{SqlNames.Quote(k.Name)} = json_extract(r.pk, '$[{i}]')"));
                var key = "json_array(" + string.Join(", ", table.KeyColumns.Select(k => "t." + SqlNames.Quote(k.Name))) + ")";
                var t = SqlNames.Quote(table.Name);
                var l = SqlNames.Literal(table.Name);
                foreach (var bad in TableModel.Rows(raw, $"SELECT r.pk, r.deleted FROM {CaptureView.Current} r WHERE r.tbl = {l} AND (r.deleted = 0) <> EXISTS (SELECT 1 FROM {t} t WHERE {join})"))
                {
                    report.AppendLine($"  {machine.Id} {table}: _filix_rows says {bad[0]} is {((long)bad[1]! == 0 ? "live" : "deleted")}, the table says otherwise");
                }

                foreach (var bad in TableModel.Rows(raw, $"SELECT {key} FROM {t} t WHERE NOT EXISTS (SELECT 1 FROM {CaptureView.Current} r WHERE r.tbl = {l} AND r.pk = {key})"))
                {
                    report.AppendLine($"  {machine.Id} {table}: row {bad[0]} has no _filix_rows entry");
                }
            }
        }
    }

    private async Task UpstreamBookkeepingAsync(IReadOnlyList<TableModel> tables, StringBuilder report)
    {
        await using var connection = new NpgsqlConnection(Upstream);
        await connection.OpenAsync();
        foreach (var table in tables)
        {
            var schema = SqlNames.Quote(table.Domain.Name);
            await using var command = new NpgsqlCommand(
                $"SELECT t.\"_filix_pk\" FROM {schema}.{SqlNames.Quote(table.Name)} t JOIN {schema}.\"_filix_tombstones\" d ON d.tbl = $1 AND d.pk = t.\"_filix_pk\"", connection);
            command.Parameters.AddWithValue(table.Name);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                report.AppendLine($"  upstream {table}: {reader.GetString(0)} is both live and tombstoned");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var machine in Machines)
        {
            await machine.DisposeAsync();
        }
    }
}
