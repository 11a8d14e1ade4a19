using System.Globalization;
using System.Text;

namespace Filix.Migrations.Tests.Randomized;

/// <summary>The nine portable types, as the harness models them (its own copy: the harness must not share the
/// code it checks).</summary>
internal enum FieldType
{
    Text,
    Integer,
    Real,
    Boolean,
    Blob,
    Timestamp,
    Date,
    Json,
    Uuid,
}

internal enum SyncTag
{
    Local,
    Optional,
    Sync,
}

/// <summary>
/// A column of the harness's schema model. Tables and columns carry a stable <see cref="Id"/> that the YAML never
/// shows: it is what the edit meant (a renamed column keeps its id, a dropped one's id is gone, a new one gets a new
/// id), so the expected rows and the expected lint are derived from ids, independently of Filix's differ.
/// Values (defaults, rows) are canonical strings (<see cref="Values"/>).
/// </summary>
internal sealed class RColumn
{
    public required int Id { get; init; }

    public required string Name { get; set; }

    public required FieldType Type { get; set; }

    public bool Nullable { get; set; }

    public string? Default { get; set; }

    public bool Unique { get; set; }

    /// <summary>The referenced (table id, column id).</summary>
    public (int Table, int Column)? References { get; set; }

    public RColumn Clone() => (RColumn)MemberwiseClone();
}

internal sealed class RIndex
{
    public required List<int> Columns { get; init; }

    public bool Unique { get; init; }
}

internal sealed class RTable
{
    public required int Id { get; init; }

    public required string Name { get; set; }

    public SyncTag Sync { get; set; }

    public List<RColumn> Columns { get; set; } = [];

    /// <summary>Column ids, in key order.</summary>
    public List<int> PrimaryKey { get; set; } = [];

    public List<RIndex> Indexes { get; set; } = [];

    public bool Shared => Sync != SyncTag.Local;

    public RColumn Column(int id) => Columns.First(c => c.Id == id);

    public RColumn? ColumnOrNull(int id) => Columns.FirstOrDefault(c => c.Id == id);

    public RTable Clone() => new()
    {
        Id = Id,
        Name = Name,
        Sync = Sync,
        Columns = Columns.Select(c => c.Clone()).ToList(),
        PrimaryKey = [.. PrimaryKey],
        Indexes = Indexes.Select(i => new RIndex { Columns = [.. i.Columns], Unique = i.Unique }).ToList(),
    };
}

/// <summary>Where the lint must point: 0-based lines of the rendered YAML.</summary>
internal sealed class LineMap
{
    public int Tables { get; set; }

    public Dictionary<int, int> TableColumns { get; } = [];

    public Dictionary<int, int> TableSync { get; } = [];

    /// <summary>The <c>renamed_from:</c> line of each renamed table.</summary>
    public Dictionary<int, int> TableRenamedFrom { get; } = [];

    public Dictionary<(int Table, int Column), int> Column { get; } = [];
}

internal sealed class RSchema
{
    public List<RTable> Tables { get; set; } = [];

    public int NextId { get; set; } = 1;

    public int NextValue { get; set; } = 1;

    /// <summary>Names dropped or renamed away in this step (<c>table</c>, <c>tableId.column</c>): a new element must not
    /// take one, since in YAML the same name without <c>renamed_from</c> is the same element (and Filix lets a
    /// <c>renamed_from</c> whose name another element still declares claim nothing: docs/migrations.md). A rename of
    /// a recorded element may (the swap of defect 6).</summary>
    public HashSet<string> Retired { get; } = [];

    /// <summary>Columns retyped in this step: one type change per column and step, so each is one the harness knows.</summary>
    public HashSet<int> Retyped { get; } = [];

    public RTable Table(int id) => Tables.First(t => t.Id == id);

    public RTable? TableOrNull(int id) => Tables.FirstOrDefault(t => t.Id == id);

    /// <summary>The first id given in this step: elements from it on are new, so the YAML gives them no
    /// <c>renamed_from</c>, and under a name the recorded schema holds they would be that recorded element.</summary>
    public int FirstNewId { get; init; }

    public bool IsNew(int id) => id >= FirstNewId;

    public RSchema Clone() => new() { Tables = Tables.Select(t => t.Clone()).ToList(), NextId = NextId, NextValue = NextValue, FirstNewId = NextId };

    /// <summary>Every (table, column) that references <paramref name="table"/>.<paramref name="column"/>.</summary>
    public IEnumerable<(RTable Table, RColumn Column)> ReferencesTo(int table, int? column = null) =>
        Tables.SelectMany(t => t.Columns.Where(c => c.References is { } r && r.Table == table && (column is null || r.Column == column)).Select(c => (t, c)));

    /// <summary>
    /// The YAML of this schema. <paramref name="previous"/> (the last recorded state) gives the <c>renamed_from</c>
    /// of every table and column whose id it knew under another name; <paramref name="consent"/> is the
    /// <c>allow_destructive</c> list.
    /// </summary>
    public string Render(RSchema? previous, IReadOnlyCollection<string> consent, LineMap lines)
    {
        var sb = new StringBuilder();
        var line = 0;
        void Line(string text)
        {
            sb.Append(text).Append('\n');
            line++;
        }

        Line("domain: library");
        if (consent.Count > 0)
        {
            Line("allow_destructive: [" + string.Join(", ", consent) + "]");
        }

        lines.Tables = line;
        Line("tables:");
        foreach (var table in Tables)
        {
            var before = previous?.TableOrNull(table.Id);
            Line($"  {table.Name}:");
            lines.TableSync[table.Id] = line;
            Line($"    sync: {table.Sync.ToString().ToLowerInvariant()}");
            if (before is not null && before.Name != table.Name)
            {
                lines.TableRenamedFrom[table.Id] = line;
                Line($"    renamed_from: {before.Name}");
            }

            if (table.PrimaryKey.Count > 1)
            {
                Line($"    primary_key: [{string.Join(", ", table.PrimaryKey.Select(k => table.Column(k).Name))}]");
            }

            lines.TableColumns[table.Id] = line;
            Line("    columns:");
            foreach (var column in table.Columns)
            {
                var parts = new List<string> { "type: " + column.Type.ToString().ToLowerInvariant() };
                if (table.PrimaryKey.Count == 1 && table.PrimaryKey[0] == column.Id)
                {
                    parts.Add("primary_key: true");
                }

                if (column.Nullable)
                {
                    parts.Add("nullable: true");
                }

                if (column.Default is { } value)
                {
                    parts.Add("default: " + Values.Yaml(column.Type, value));
                }

                if (column.Unique)
                {
                    parts.Add("unique: true");
                }

                if (column.References is { } reference)
                {
                    var target = Table(reference.Table);
                    parts.Add($"references: {target.Name}.{target.Column(reference.Column).Name}");
                }

                if (before?.ColumnOrNull(column.Id) is { } old && old.Name != column.Name)
                {
                    parts.Add("renamed_from: " + old.Name);
                }

                lines.Column[(table.Id, column.Id)] = line;
                Line($"      {column.Name}: {{ {string.Join(", ", parts)} }}");
            }

            if (table.Indexes.Count > 0)
            {
                Line("    indexes:");
                foreach (var index in table.Indexes)
                {
                    var columns = "[" + string.Join(", ", index.Columns.Select(c => table.Column(c).Name)) + "]";
                    Line(index.Unique ? $"      - {{ columns: {columns}, unique: true }}" : "      - " + columns);
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>A one-line summary of the schema for failure messages.</summary>
    public override string ToString() => string.Join("; ", Tables.Select(t =>
        $"{t.Name}({t.Sync.ToString().ToLowerInvariant()}): " + string.Join(", ", t.Columns.Select(c => c.Name + ":" + c.Type.ToString().ToLowerInvariant()))));
}

/// <summary>
/// Canonical values: one string per value whatever the dialect stores (SQLite's stored forms of
/// <c>SqliteValues</c>: integers in decimal, reals in round-trip form, booleans <c>true</c>/<c>false</c>, blobs in
/// lower-case hex, timestamps with 7 fractional digits and Z, dates yyyy-MM-dd, UUIDs lower-case), and what a type
/// change promises to do to each.
/// </summary>
internal static class Values
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Stored values the rows are drawn from: each type's pool holds values that convert and values that
    /// do not, so a narrowing change meets both (text holds numbers, dates, booleans, UUIDs, JSON and garbage).</summary>
    public static readonly Dictionary<FieldType, string[]> Pool = new()
    {
        [FieldType.Text] = ["42", "-7", "0", "1.5", "1.2.3", "e5", "abc", "", "2024-01-31", "2024-13-45", "2024-02-30", "true", "false",
            "6f9619ff-8b86-d011-b42d-00cf4fc964ff", "2024-01-31T12:00:00.1234560Z", "{\"a\": 1}", "x y", "it's"],
        [FieldType.Integer] = ["0", "1", "42", "-7", "1000000"],
        [FieldType.Real] = ["1.5", "-2.25", "0.5", "42", "3.75"],
        [FieldType.Boolean] = ["true", "false"],
        [FieldType.Blob] = ["00ff", "68656c6c6f", "7b7d"],
        [FieldType.Timestamp] = ["2024-01-31T12:00:00.1234560Z", "1999-12-31T23:59:59.0000000Z", "2024-02-29T00:00:00.0000000Z"],
        [FieldType.Date] = ["2024-01-31", "1999-12-31", "2024-02-29"],
        [FieldType.Json] = ["[]", "{}", "{\"a\": 1}", "[1, 2]", "42", "\"s\"", "true"],
        [FieldType.Uuid] = ["6f9619ff-8b86-d011-b42d-00cf4fc964ff", "00000000-0000-0000-0000-000000000001", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"],
    };

    public static readonly Dictionary<FieldType, string[]> Defaults = new()
    {
        [FieldType.Text] = ["active", "42", "it's"],
        [FieldType.Integer] = ["0", "7"],
        [FieldType.Real] = ["0.5", "2"],
        [FieldType.Boolean] = ["false", "true"],
        [FieldType.Blob] = [],
        [FieldType.Timestamp] = ["2024-01-01T00:00:00.0000000Z"],
        [FieldType.Date] = ["2024-01-01"],
        [FieldType.Json] = ["[]", "{}"],
        [FieldType.Uuid] = ["00000000-0000-0000-0000-000000000001"],
    };

    /// <summary>A value no other row of the sequence has (for keys and unique columns).</summary>
    public static string Unique(FieldType type, int n) => type switch
    {
        FieldType.Text => n % 2 == 0 ? (100 + n).ToString(Inv) : "k" + n,
        FieldType.Integer => (100 + n).ToString(Inv),
        FieldType.Real => (100 + n).ToString(Inv) + ".5",
        FieldType.Blob => (n % 256).ToString("x2", Inv) + "ab",
        FieldType.Timestamp => new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(n).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", Inv),
        FieldType.Date => new DateOnly(2000, 1, 1).AddDays(n).ToString("yyyy-MM-dd", Inv),
        FieldType.Json => $"[{n}]",
        FieldType.Uuid => $"00000000-0000-4000-8000-{n:x12}",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static string Yaml(FieldType type, string value) => type switch
    {
        FieldType.Integer or FieldType.Real or FieldType.Boolean => value,
        _ => "'" + value.Replace("'", "''") + "'",
    };

    /// <summary>The change keeps every value (Filix's widening list: docs/migrations.md, FLX0103).</summary>
    public static bool Widens(FieldType from, FieldType to) => (from, to) switch
    {
        (FieldType.Integer, FieldType.Real) or (FieldType.Boolean, FieldType.Integer) or (FieldType.Date, FieldType.Timestamp) => true,
        (FieldType.Blob, _) => false,
        (_, FieldType.Text) => true,
        _ => false,
    };

    /// <summary>The type changes the harness makes (blob to text is refused at the YAML line whatever the consent, FLX0106).</summary>
    public static readonly (FieldType From, FieldType To)[] Retypes =
    [
        (FieldType.Integer, FieldType.Real), (FieldType.Boolean, FieldType.Integer), (FieldType.Date, FieldType.Timestamp),
        (FieldType.Integer, FieldType.Text), (FieldType.Real, FieldType.Text), (FieldType.Boolean, FieldType.Text), (FieldType.Date, FieldType.Text),
        (FieldType.Timestamp, FieldType.Text), (FieldType.Json, FieldType.Text), (FieldType.Uuid, FieldType.Text),
        (FieldType.Text, FieldType.Integer), (FieldType.Text, FieldType.Real), (FieldType.Text, FieldType.Boolean), (FieldType.Text, FieldType.Date),
        (FieldType.Text, FieldType.Timestamp), (FieldType.Text, FieldType.Json), (FieldType.Text, FieldType.Uuid), (FieldType.Text, FieldType.Blob),
        (FieldType.Real, FieldType.Integer), (FieldType.Integer, FieldType.Boolean), (FieldType.Integer, FieldType.Json), (FieldType.Blob, FieldType.Text),
    ];

    /// <summary>A narrowing change the build may refuse outright (FLX0106) rather than convert: Postgres has no cast
    /// for it, so either answer keeps the dialects agreeing.</summary>
    public static bool MayBeUnsupported(FieldType from, FieldType to) => (from, to) is (FieldType.Integer, FieldType.Json);

    /// <summary>
    /// What a type change promises for one stored value: the converted value, or false when the value cannot be
    /// kept faithfully (then the migration must be refused before anything changes). The only place the dialects
    /// legitimately differ is how a real prints as text (SQLite: <c>42.0</c>, Postgres: <c>42</c>); both read back
    /// as the same number.
    /// </summary>
    public static bool TryConvert(FieldType from, FieldType to, string value, bool postgres, out string result)
    {
        result = value;
        if (from == to)
        {
            return true;
        }

        switch (from, to)
        {
            case (FieldType.Integer, FieldType.Real):
                result = R(double.Parse(value, Inv));
                return true;
            case (FieldType.Boolean, FieldType.Integer):
                result = value == "true" ? "1" : "0";
                return true;
            case (FieldType.Date, FieldType.Timestamp):
                result = value + "T00:00:00.0000000Z";
                return true;
            case (FieldType.Real, FieldType.Text):
                result = !postgres && !value.Contains('.') && !value.Contains('E') ? value + ".0" : value;
                return true;
            case (_, FieldType.Text) when from != FieldType.Blob:
                return true;
            case (FieldType.Text, FieldType.Integer):
                return IsInteger(value);
            case (FieldType.Text, FieldType.Real):
                if (System.Text.RegularExpressions.Regex.IsMatch(value, @"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"))
                {
                    result = R(double.Parse(value, Inv));
                    return true;
                }

                return false;
            case (FieldType.Text, FieldType.Boolean):
                result = value is "true" or "1" ? "true" : "false";
                return value is "true" or "false" or "0" or "1";
            case (FieldType.Text, FieldType.Date):
                return DateOnly.TryParseExact(value, "yyyy-MM-dd", Inv, DateTimeStyles.None, out _);
            case (FieldType.Text, FieldType.Timestamp):
                return value.Length == 28 && DateTime.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", Inv, DateTimeStyles.None, out _);
            case (FieldType.Text, FieldType.Json):
                return IsJson(value);
            case (FieldType.Text, FieldType.Uuid):
                if (Guid.TryParseExact(value, "D", out var guid))
                {
                    result = guid.ToString("D");
                    return true;
                }

                return false;
            case (FieldType.Text, FieldType.Blob):
                result = Convert.ToHexString(Encoding.UTF8.GetBytes(value)).ToLowerInvariant();
                return true;
            case (FieldType.Real, FieldType.Integer):
                var d = double.Parse(value, Inv);
                result = ((long)d).ToString(Inv);
                return d == Math.Floor(d) && Math.Abs(d) < 9e15;
            case (FieldType.Integer, FieldType.Boolean):
                result = value == "1" ? "true" : "false";
                return value is "0" or "1";
            case (FieldType.Integer, FieldType.Json):
                return true;
            default:
                return false;
        }
    }

    public static string R(double value) => value.ToString("R", Inv);

    private static bool IsInteger(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, "^-?(0|[1-9][0-9]{0,17})$");

    private static bool IsJson(string value)
    {
        try
        {
            using var _ = System.Text.Json.JsonDocument.Parse(value);
            return true;
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>A SQL literal of the stored form.</summary>
    public static string Literal(FieldType type, string? value, bool postgres)
    {
        if (value is null)
        {
            return "NULL";
        }

        var quoted = "'" + value.Replace("'", "''") + "'";
        return (type, postgres) switch
        {
            (FieldType.Integer or FieldType.Real, _) => value,
            (FieldType.Boolean, false) => value == "true" ? "1" : "0",
            (FieldType.Boolean, true) => value,
            (FieldType.Blob, false) => $"X'{value}'",
            (FieldType.Blob, true) => $"'\\x{value}'::bytea",
            (FieldType.Timestamp, true) => quoted + "::timestamptz",
            (FieldType.Date, true) => quoted + "::date",
            (FieldType.Json, true) => quoted + "::jsonb",
            (FieldType.Uuid, true) => quoted + "::uuid",
            _ => quoted,
        };
    }

    /// <summary>The canonical form of a value as a driver returned it, for a column of <paramref name="type"/>.</summary>
    public static string? Canonical(FieldType type, object? raw)
    {
        if (raw is null or DBNull)
        {
            return null;
        }

        return (type, raw) switch
        {
            (FieldType.Boolean, bool b) => b ? "true" : "false",
            (FieldType.Boolean, long l) => l == 1 ? "true" : l == 0 ? "false" : "bad-boolean:" + l,
            (FieldType.Real, double d) => R(d),
            (FieldType.Real, long l) => R(l),
            (FieldType.Blob, byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant(),
            (FieldType.Timestamp, DateTime t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", Inv),
            (FieldType.Timestamp, DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", Inv),
            (FieldType.Date, DateTime t) => t.ToString("yyyy-MM-dd", Inv),
            (FieldType.Date, DateOnly t) => t.ToString("yyyy-MM-dd", Inv),
            (FieldType.Uuid, Guid g) => g.ToString("D"),
            (FieldType.Integer, long l) => l.ToString(Inv),
            (_, string s) => s,
            _ => $"{raw.GetType().Name}:{Convert.ToString(raw, Inv)}",
        };
    }
}
