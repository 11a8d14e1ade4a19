using System.Globalization;
using Filix.Domains.Entities;
using Filix.Runtime.Sqlite;
using Microsoft.Data.Sqlite;

namespace Filix.Benchmarks.Peers;

/// <summary>
/// What a careful engineer writes by hand with Microsoft.Data.Sqlite: one open connection, each command created
/// and prepared once and reused, typed getters at constant ordinals, synchronous calls (the library's async
/// methods run synchronously anyway) and the same stored text forms Filix uses.
/// </summary>
internal sealed class AdoNetStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _get;
    private readonly SqliteCommand _findEvents;
    private readonly SqliteCommand _scan;
    private readonly SqliteCommand _insert;

    public AdoNetStore(SqliteConnection connection)
    {
        _connection = connection;
        _get = Prepare(Sql.GetEntity, "@id");
        _findEvents = Prepare(Sql.FindEvents, "@entityId");
        _scan = Prepare(Sql.ScanEntities);
        _insert = Prepare(Sql.InsertEntity, "@Id", "@Type", "@Name", "@Aliases", "@Summary", "@Url", "@Attributes", "@CreatedAt", "@UpdatedAt");
    }

    public Entity? Get(string id)
    {
        _get.Parameters[0].Value = id;
        using var reader = _get.ExecuteReader();
        return reader.Read() ? ReadEntity(reader) : null;
    }

    public List<Event> FindEvents(string entityId)
    {
        _findEvents.Parameters[0].Value = entityId;
        var rows = new List<Event>();
        using var reader = _findEvents.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(ReadEvent(reader));
        }

        return rows;
    }

    public int Scan()
    {
        var count = 0;
        using var reader = _scan.ExecuteReader();
        while (reader.Read())
        {
            var entity = ReadEntity(reader);
            count += entity.Name.Length > 0 ? 1 : 0;
        }

        return count;
    }

    public int Insert(IReadOnlyList<Entity> rows)
    {
        using var transaction = _connection.BeginTransaction();
        _insert.Transaction = transaction;
        var p = _insert.Parameters;
        foreach (var row in rows)
        {
            p[0].Value = row.Id;
            p[1].Value = row.Type;
            p[2].Value = row.Name;
            p[3].Value = row.Aliases;
            p[4].Value = (object?)row.Summary ?? DBNull.Value;
            p[5].Value = (object?)row.Url ?? DBNull.Value;
            p[6].Value = row.Attributes;
            p[7].Value = FormatTimestamp(row.CreatedAt);
            p[8].Value = FormatTimestamp(row.UpdatedAt);
            _insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return rows.Count;
    }

    public static Entity ReadEntity(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Type = reader.GetString(1),
        Name = reader.GetString(2),
        Aliases = reader.GetString(3),
        Summary = reader.IsDBNull(4) ? null : reader.GetString(4),
        Url = reader.IsDBNull(5) ? null : reader.GetString(5),
        Attributes = reader.GetString(6),
        CreatedAt = ParseTimestamp(reader.GetString(7)),
        UpdatedAt = ParseTimestamp(reader.GetString(8)),
    };

    public static Event ReadEvent(SqliteDataReader reader) => new()
    {
        EntityId = reader.GetString(0),
        Role = reader.GetString(1),
        RoleType = reader.GetString(2),
        Status = reader.GetString(3),
        StartDate = reader.IsDBNull(4) ? null : ParseDate(reader.GetString(4)),
        EndDate = reader.IsDBNull(5) ? null : ParseDate(reader.GetString(5)),
        Source = reader.IsDBNull(6) ? null : reader.GetString(6),
        Confidence = reader.IsDBNull(7) ? null : reader.GetDouble(7),
        Note = reader.IsDBNull(8) ? null : reader.GetString(8),
        CreatedAt = ParseTimestamp(reader.GetString(9)),
        UpdatedAt = ParseTimestamp(reader.GetString(10)),
    };

    /// <summary>Every peer parses with Filix's public fixed-width parsers: <c>DateTimeOffset.ParseExact(text, "O")</c>
    /// costs several times more per value and would measure the parser, not the data access.</summary>
    public static DateTimeOffset ParseTimestamp(string text) => SqliteValues.ParseTimestamp(text);

    public static string FormatTimestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(Sql.RoundTrip, CultureInfo.InvariantCulture);

    public static DateOnly ParseDate(string text) => SqliteValues.ParseDate(text);

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }

        command.Prepare();
        return command;
    }

    public void Dispose()
    {
        _get.Dispose();
        _findEvents.Dispose();
        _scan.Dispose();
        _insert.Dispose();
    }
}
