using System.Globalization;

namespace Filix.Sync.Bench;

/// <summary>
/// Initial sync: a full machine A (seeded like <c>./build/run.sh</c>, scaled) pushes into an empty upstream, then an
/// empty machine B pulls everything. Each round uses a fresh upstream database and a fresh B; after each direction the
/// rows are checked (upstream counts equal A's, B equal to A row for row). The peers run in the same round on the
/// same rows (see <see cref="Peers"/>).
/// </summary>
internal static class InitialSync
{
    public static async Task RunAsync(BenchCluster cluster, string work, double scale, int batch, int rounds, bool peersOnly, Report report)
    {
        var a = Path.Combine(work, "a");
        report.Step($"Seeding machine A: filix run --scale {scale.ToString(CultureInfo.InvariantCulture)}");
        var seedWatch = System.Diagnostics.Stopwatch.StartNew();
        Domains.Seed(a, scale);
        var countsA = Domains.Synced.ToDictionary(s => s.Domain, s => Domains.Counts(Domains.PathIn(a, s), s));
        var total = countsA.Values.Sum(d => d.Values.Sum());
        report.Line($"seeded in {Report.F(seedWatch.Elapsed.TotalSeconds)} s; the five sync domains hold {total:N0} rows: " +
            string.Join(", ", countsA.Select(d => $"{d.Key} {d.Value.Values.Sum():N0}")));
        report.Figure("scale", scale);
        report.Figure("rows", total);
        report.Figure("rowsPerDomain", countsA);

        for (var round = 1; round <= rounds; round++)
        {
            await RoundAsync(cluster, work, a, countsA, batch, round, peersOnly, report);
        }
    }

    /// <summary>One round; with <paramref name="peersOnly"/> the Filix steps are left out (the pull peers then read
    /// the COPY peer's database), to see the ceilings alone.</summary>
    private static async Task RoundAsync(BenchCluster cluster, string work, string a, Dictionary<string, Dictionary<string, long>> countsA, int batch, int round, bool peersOnly, Report report)
    {
        var upstream = await cluster.CreateDatabaseAsync($"upstream_{round}");
        foreach (var schema in Domains.Synced)
        {
            await Peers.MigrateAsync(upstream, schema);
        }

        var phases = new ServerPhases(cluster, upstream);
        ChildRun? push = null;
        if (!peersOnly)
        {
            push = await PushAsync(upstream, phases, a, countsA, batch, round, report);
        }

        report.Step($"Round {round}: push peers on the same rows");
        var peerRuns = new List<PeerRun>();
        string? firstPeerDb = null;
        foreach (var peerBatch in new[] { batch, 1000 }.Distinct())
        {
            var peerDb = await cluster.CreateDatabaseAsync($"peer_copy_{round}_{peerBatch}");
            firstPeerDb ??= peerDb;
            foreach (var schema in Domains.Synced)
            {
                await Peers.MigrateAsync(peerDb, schema);
            }

            var peerPhases = new ServerPhases(cluster, peerDb);
            await peerPhases.ResetAsync();
            foreach (var schema in Domains.Synced)
            {
                peerRuns.Add(await Peers.CopyAsync(Domains.PathIn(a, schema), peerDb, schema, peerBatch));
            }

            var copyServer = await peerPhases.ReadAsync();
            report.Figure($"round{round}.copyServer{peerBatch}", copyServer);
            report.Line($"copy peer, {peerBatch:N0}-row transactions: COPY {Report.F(copyServer.ByKind().Where(k => k.Kind == "COPY").Sum(k => k.Milliseconds), "N0")} ms, " +
                $"foreign-key checks {Report.F(copyServer.ByKind().Where(k => k.Kind.StartsWith("foreign", StringComparison.Ordinal)).Sum(k => k.Milliseconds), "N0")} ms, " +
                $"{copyServer.WalSyncs:N0} WAL flushes ({Report.F(copyServer.WalSyncMilliseconds, "N0")} ms), server CPU {Report.F(copyServer.ServerCpuSeconds)} s");
        }

        foreach (var schema in Domains.Synced)
        {
            peerRuns.Add(Peers.ReadLocal(Domains.PathIn(a, schema), schema));
            peerRuns.Add(Peers.ReadPending(Domains.PathIn(a, schema), schema, batch));
        }

        report.Line();
        PrintPeers(report, push, peerRuns);
        report.Figure($"round{round}.pushPeers", peerRuns);

        ChildRun? pull = null;
        if (!peersOnly)
        {
            pull = await PullAsync(phases, work, a, upstream, batch, round, report);
        }

        report.Step($"Round {round}: pull peers on the same rows");
        var source = peersOnly ? firstPeerDb! : upstream;
        var pullPeers = new List<PeerRun>();
        var plain = Path.Combine(work, $"plain{round}");
        Directory.CreateDirectory(plain);
        foreach (var peerBatch in new[] { batch, 1000 }.Distinct())
        {
            foreach (var schema in Domains.Synced)
            {
                pullPeers.Add(await Peers.SelectIntoSqliteAsync(source, Path.Combine(plain, $"{schema.Domain}.{peerBatch}.db"), schema, peerBatch));
            }
        }

        foreach (var schema in Domains.Synced)
        {
            pullPeers.Add(await Peers.ReadUpstreamAsync(source, schema));
        }

        PrintPeers(report, pull, pullPeers);
        report.Figure($"round{round}.pullPeers", pullPeers);
        Directory.Delete(plain, recursive: true);
    }

    private static async Task<ChildRun> PushAsync(string upstream, ServerPhases phases, string a, Dictionary<string, Dictionary<string, long>> countsA, int batch, int round, Report report)
    {
        report.Step($"Round {round}: push A -> empty upstream (FilixSync.PushAsync, batch {batch:N0})");
        await phases.ResetAsync();
        var push = await SyncChild.SpawnAsync("push", a, upstream, "bench-a", batch);
        var pushServer = await phases.ReadAsync();
        await CheckUpstreamAsync(upstream, countsA);
        PrintChild(report, push);
        report.Breakdown("the push", pushServer, push.Seconds, push.Domains.Sum(d => d.CpuSeconds));
        report.Figure($"round{round}.push", push);
        report.Figure($"round{round}.pushServer", pushServer);
        return push;
    }

    private static async Task<ChildRun> PullAsync(ServerPhases phases, string work, string a, string upstream, int batch, int round, Report report)
    {
        var b = Path.Combine(work, $"b{round}");
        Directory.CreateDirectory(b);
        report.Step($"Round {round}: pull upstream -> empty machine B (FilixSync.PullAsync, batch {batch:N0})");
        await phases.ResetAsync();
        var pull = await SyncChild.SpawnAsync("pull", b, upstream, "bench-b", batch);
        var pullServer = await phases.ReadAsync();
        PrintChild(report, pull);
        var jsonOnly = Domains.CheckEqual(a, b);
        report.Line(jsonOnly == 0
            ? "B equals A row for row in every sync table (checked after the pull, not timed)."
            : $"B equals A row for row as values (checked after the pull, not timed); {jsonOnly:N0} rows differ only in the spacing of their JSON text (the upstream's jsonb re-spaces it).");
        report.Figure($"round{round}.jsonOnlyDifferences", jsonOnly);
        report.Line();
        report.Breakdown("the pull", pullServer, pull.Seconds, pull.Domains.Sum(d => d.CpuSeconds));
        report.Figure($"round{round}.pull", pull);
        report.Figure($"round{round}.pullServer", pullServer);
        Directory.Delete(b, recursive: true);
        return pull;
    }

    private static async Task CheckUpstreamAsync(string upstream, Dictionary<string, Dictionary<string, long>> countsA)
    {
        await using var connection = new Npgsql.NpgsqlConnection(upstream);
        await connection.OpenAsync();
        foreach (var schema in Domains.Synced)
        {
            foreach (var table in schema.SyncTables)
            {
                await using var count = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM {Sql.Quote(schema.PostgresSchema)}.{Sql.Quote(table.Name)}", connection);
                var rows = (long)(await count.ExecuteScalarAsync())!;
                if (rows != countsA[schema.Domain][table.Name])
                {
                    throw new InvalidOperationException($"after the push, upstream {schema.PostgresSchema}.{table.Name} holds {rows:N0} rows, machine A {countsA[schema.Domain][table.Name]:N0}.");
                }
            }
        }
    }

    private static void PrintChild(Report report, ChildRun run)
    {
        var rows = run.Domains.Select(d => (IReadOnlyList<string>)[
            d.Domain, d.Rows.ToString("N0", CultureInfo.InvariantCulture), Report.F(d.Seconds, "N3"), Report.Rate(d.Rows, d.Seconds),
            d.Parked.ToString("N0", CultureInfo.InvariantCulture), Report.F(d.CpuSeconds), Report.MiB(d.PeakWorkingSetAfter)]).ToList();
        rows.Add(["**total**", run.Rows.ToString("N0", CultureInfo.InvariantCulture), Report.F(run.Seconds, "N3"), "**" + Report.Rate(run.Rows, run.Seconds) + "**",
            run.Domains.Sum(d => d.Parked).ToString("N0", CultureInfo.InvariantCulture), Report.F(run.Domains.Sum(d => d.CpuSeconds)), Report.MiB(run.PeakWorkingSet)]);
        report.Table(["domain", "rows " + run.Direction + "ed", "seconds", "rows/s", "parked", "client CPU s", "peak working set (VmHWM) after"], rows);
    }

    private static void PrintPeers(Report report, ChildRun? sync, List<PeerRun> peers)
    {
        var rows = new List<IReadOnlyList<string>>();
        if (sync is not null)
        {
            rows.Add([$"Filix {sync.Direction}", sync.Rows.ToString("N0", CultureInfo.InvariantCulture), Report.F(sync.Seconds, "N3"), Report.Rate(sync.Rows, sync.Seconds), "100%"]);
        }

        foreach (var peer in peers.GroupBy(p => p.Peer))
        {
            var rowsMoved = peer.Sum(p => p.Rows);
            var seconds = peer.Sum(p => p.Seconds);
            rows.Add([peer.Key, rowsMoved.ToString("N0", CultureInfo.InvariantCulture), Report.F(seconds, "N3"), Report.Rate(rowsMoved, seconds), sync is null ? "-" : Report.F(100.0 * sync.Rows / sync.Seconds / (rowsMoved / seconds), "N0") + "%"]);
        }

        report.Table(["what", "rows", "seconds", "rows/s", "Filix rows/s as % of this"], rows);
    }
}
