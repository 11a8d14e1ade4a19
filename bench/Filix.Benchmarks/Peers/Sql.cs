namespace Filix.Benchmarks.Peers;

/// <summary>The statements the hand-written peers run: the same text Filix generates, so the comparison is of
/// the code around SQLite, not of the query plans.</summary>
internal static class Sql
{
    public const string EntityColumns = "\"id\", \"type\", \"name\", \"aliases\", \"summary\", \"url\", \"attributes\", \"created_at\", \"updated_at\"";
    public const string EventColumns = "\"entity_id\", \"role\", \"role_type\", \"status\", \"start_date\", \"end_date\", \"source\", \"confidence\", \"note\", \"created_at\", \"updated_at\"";

    public const string GetEntity = "SELECT " + EntityColumns + " FROM \"entities\" WHERE \"id\" = @id";
    public const string ScanEntities = "SELECT " + EntityColumns + " FROM \"entities\" ORDER BY \"id\"";
    public const string FindEvents = "SELECT " + EventColumns + " FROM \"events\" WHERE \"entity_id\" = @entityId ORDER BY \"entity_id\", \"role\", \"role_type\"";

    public const string InsertEntity = "INSERT INTO \"entities\" (" + EntityColumns + ") VALUES (@Id, @Type, @Name, @Aliases, @Summary, @Url, @Attributes, @CreatedAt, @UpdatedAt)";

    /// <summary>Timestamps are stored as UTC round-trip text (<c>2024-01-31T12:00:00.0000000Z</c>) and dates as
    /// <c>2024-01-31</c>: for a UTC DateTime and for a DateOnly, "O" is exactly that form and .NET's fastest.</summary>
    public const string RoundTrip = "O";
}
