namespace Filix.Domains.Entities;

/// <summary>The generated upsert and its parameter values, for <c>filix bench writers</c>' modes that bypass the
/// writer (naive, ceiling): they must write exactly what <see cref="UpsertAsync"/> writes.</summary>
public sealed partial class EventsTable
{
    internal const string BenchUpsertSql = UpsertSql;

    /// <summary>The values of <see cref="BenchUpsertSql"/>'s parameters <c>$p0</c>, <c>$p1</c>, ... for <paramref name="row"/>.</summary>
    internal static object?[] UpsertValues(Event row) => Values(row);
}
