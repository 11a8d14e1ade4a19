using System.Reflection;
using Npgsql;

namespace Filix.Runtime.Tests.Postgres;

/// <summary>Calls a generated <c>&lt;Table&gt;Upstream</c> class's UpsertAsync / ScanAsync / CountAsync for a record
/// type known only at run time (the domain round trip walks every table of every domain).</summary>
internal sealed class UpstreamAdapter(Type upstream, Type record)
{
    private static readonly MethodInfo UpsertTyped = typeof(UpstreamAdapter).GetMethod(nameof(UpsertCoreAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo ScanTyped = typeof(UpstreamAdapter).GetMethod(nameof(ScanCoreAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    public Task<int> UpsertAsync(NpgsqlConnection connection, IEnumerable<object> rows) =>
        (Task<int>)UpsertTyped.MakeGenericMethod(record).Invoke(null, [Method("UpsertAsync"), connection, rows])!;

    public Task<List<object>> ScanAsync(NpgsqlConnection connection) =>
        (Task<List<object>>)ScanTyped.MakeGenericMethod(record).Invoke(null, [Method("ScanAsync"), connection])!;

    public Task<long> CountAsync(NpgsqlConnection connection) =>
        (Task<long>)Method("CountAsync").Invoke(null, [connection, CancellationToken.None])!;

    private MethodInfo Method(string name) =>
        upstream.GetMethod(name, BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"{upstream.FullName} has no public static {name}.");

    private static Task<int> UpsertCoreAsync<T>(MethodInfo upsert, NpgsqlConnection connection, IEnumerable<object> rows) =>
        (Task<int>)upsert.Invoke(null, [connection, rows.Cast<T>().ToList(), CancellationToken.None])!;

    private static async Task<List<object>> ScanCoreAsync<T>(MethodInfo scan, NpgsqlConnection connection)
    {
        var rows = (IAsyncEnumerable<T>)scan.Invoke(null, [connection, CancellationToken.None])!;
        var list = new List<object>();
        await foreach (var row in rows)
        {
            list.Add(row!);
        }

        return list;
    }
}
