using System.Data;
using System.Globalization;
using Dapper;
using Filix.Domains.Entities;
using Microsoft.Data.Sqlite;

namespace Filix.Benchmarks.Peers;

/// <summary>
/// Dapper as its documentation shows it: the SQL and an anonymous parameter object on one open connection,
/// snake_case columns matched to properties, and type handlers for the two stored text forms SQLite has no
/// type for.
/// </summary>
internal sealed class DapperStore
{
    private readonly SqliteConnection _connection;

    static DapperStore()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new TimestampHandler());
        SqlMapper.AddTypeHandler(new DateHandler());
    }

    public DapperStore(SqliteConnection connection) => _connection = connection;

    public Entity? Get(string id) => _connection.QueryFirstOrDefault<Entity>(Sql.GetEntity, new { id });

    public List<Event> FindEvents(string entityId) => _connection.Query<Event>(Sql.FindEvents, new { entityId }).AsList();

    public int Scan()
    {
        var count = 0;
        foreach (var entity in _connection.Query<Entity>(Sql.ScanEntities, buffered: false))
        {
            count += entity.Name.Length > 0 ? 1 : 0;
        }

        return count;
    }

    public int Insert(IReadOnlyList<Entity> rows)
    {
        using var transaction = _connection.BeginTransaction();
        var count = _connection.Execute(Sql.InsertEntity, rows, transaction);
        transaction.Commit();
        return count;
    }

    private sealed class TimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = AdoNetStore.FormatTimestamp(value);
        }

        public override DateTimeOffset Parse(object value) => AdoNetStore.ParseTimestamp((string)value);
    }

    private sealed class DateHandler : SqlMapper.TypeHandler<DateOnly>
    {
        public override void SetValue(IDbDataParameter parameter, DateOnly value)
        {
            parameter.DbType = DbType.String;
            parameter.Value = value.ToString(Sql.RoundTrip, CultureInfo.InvariantCulture);
        }

        public override DateOnly Parse(object value) => AdoNetStore.ParseDate((string)value);
    }
}
