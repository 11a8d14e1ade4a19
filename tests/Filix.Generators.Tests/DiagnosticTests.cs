namespace Filix.Generators.Tests;

/// <summary>
/// One test (or more) per diagnostic FLX0001..FLX0021: a small bad schema, the id, the place the compiler prints
/// (<c>file(line,col)</c>, 1-based) and the helpful part of the message. In each schema a '»' marks the position
/// the diagnostic must point at; it is removed before the generator sees the text.
/// </summary>
public sealed partial class DiagnosticTests
{
    private const string FileName = "shop.filix.yaml";
    private const char Marker = '»';

    /// <summary>Asserts the schema reports exactly one diagnostic: <paramref name="id"/> at the marker, with a
    /// message containing each of <paramref name="messageParts"/>.</summary>
    private static void AssertReports(string yaml, string id, params string[] messageParts) =>
        AssertReportsAll(yaml, [id], messageParts);

    /// <summary>Asserts the schema reports exactly these diagnostics, in order, one per marker.</summary>
    private static void AssertReportsAll(string yaml, string[] ids, params string[] messageParts)
    {
        var (text, marks) = Unmark(yaml);
        Assert.True(marks.Count == ids.Length, $"The test schema has {marks.Count} marker(s) for {ids.Length} expected diagnostic(s).");
        var printed = GeneratorHarness.Run(GeneratorHarness.Schema(FileName, text)).Printed;
        var expected = ids.Select((id, i) => $"{FileName}({marks[i].Line},{marks[i].Column}): error {id}: ").ToList();
        var report = "Expected:\n  " + string.Join("\n  ", expected) + "\nReported:\n  " + string.Join("\n  ", printed);
        Assert.True(printed.Count == ids.Length, report);
        for (var i = 0; i < ids.Length; i++)
        {
            Assert.True(printed[i].StartsWith(expected[i], StringComparison.Ordinal), report);
        }

        var all = string.Join("\n", printed);
        foreach (var part in messageParts)
        {
            Assert.True(all.Contains(part, StringComparison.Ordinal), $"No message contains \"{part}\".\n{report}");
        }
    }

    /// <summary>Removes the markers, returning the 1-based line and column of each.</summary>
    private static (string Text, List<(int Line, int Column)> Marks) Unmark(string yaml)
    {
        var marks = new List<(int, int)>();
        var text = new System.Text.StringBuilder();
        int line = 1, column = 1;
        foreach (var c in yaml.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            if (c == Marker)
            {
                marks.Add((line, column));
                continue;
            }

            text.Append(c);
            (line, column) = c == '\n' ? (line + 1, 1) : (line, column + 1);
        }

        return (text.ToString(), marks);
    }

    [Fact]
    public void FLX0001_MalformedYaml_UnclosedFlowMapping()
    {
        // YamlDotNet fails here without a position; the parser reports the last place it read, on the right line.
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key»: true
                  name: text
            """, "FLX0001", "The schema file is not valid YAML", "look for an unclosed '{', '[' or quote");
    }

    [Fact]
    public void FLX0001_MalformedYaml_BadIndentation()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
               »columns:
                  id: { type: text, primary_key: true }
            """, "FLX0001", "not valid YAML");
    }

    [Fact]
    public void FLX0002_UnknownKey_SuggestsTheClosestAndListsAllowed()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  note: { type: text, »nulable: true }
            """, "FLX0002", "Unknown key 'nulable' in column 'items.note'", "(did you mean 'nullable'?)",
            "Allowed keys: type, nullable, default, unique, primary_key, references, description, renamed_from.");
    }

    [Fact]
    public void FLX0002_UnknownKey_InTable()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                »index:
                  - [name]
                columns:
                  id: { type: text, primary_key: true }
                  name: text
            """, "FLX0002", "Unknown key 'index' in table 'items' (did you mean 'indexes'?)", "Allowed keys: sync, description, record, columns, primary_key, indexes, renamed_from.");
    }

    [Fact]
    public void FLX0003_UnknownType_SuggestsTheClosest()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: { type: »txet, nullable: true }
            """, "FLX0003", "Column 'name' has unknown type 'txet' (did you mean 'text'?)",
            "Use one of: text, integer, real, boolean, blob, timestamp, date, json, uuid.");
    }

    [Fact]
    public void FLX0003_UnknownType_InShorthandListsTheTypes()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  price: »decimal
            """, "FLX0003", "Column 'price' has unknown type 'decimal'. Use one of: text, integer, real,");
    }

    [Fact]
    public void FLX0004_NoPrimaryKey()
    {
        AssertReports("""
            domain: shop
            tables:
              »items:
                sync: sync
                columns:
                  id: text
                  name: text
            """, "FLX0004", "Table 'items' has no primary key", "'primary_key: true'", "'primary_key: [a, b]'");
    }

    [Fact]
    public void FLX0005_DuplicateTable()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
              »items:
                sync: local
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0005", "Table 'items' is declared twice in domain 'shop' (first at line 3)");
    }

    [Fact]
    public void FLX0006_DuplicateColumn()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: text
                  »name: { type: text, nullable: true }
            """, "FLX0006", "Column 'name' in table 'items' clashes with column 'name' (line 7): the table declares it twice");
    }

    [Fact]
    public void FLX0006_DuplicateColumn_CaseInsensitive()
    {
        // 'Name' is also not lower snake_case: both problems are reported at once.
        AssertReportsAll("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: text
                  »»Name: text
            """, ["FLX0009", "FLX0006"], "'Name' is not a valid column name",
            "Column 'Name' in table 'items' clashes with column 'name' (line 7): SQL names are case-insensitive");
    }

    [Fact]
    public void FLX0006_DuplicateColumn_SameCSharpName()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  s3_key: text
                  »s3key: text
            """, "FLX0006", "Column 's3key' in table 'items' clashes with column 's3_key' (line 7): both become the C# property 'S3Key'");
    }

    [Fact]
    public void FLX0007_UnknownIndexColumn()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: text
                indexes:
                  - [id, »nmae]
            """, "FLX0007", "An index of table 'items' names column 'nmae', which the table does not declare (did you mean 'name'?)",
            "Declared columns: id, name.");
    }

    [Fact]
    public void FLX0007_UnknownPrimaryKeyColumn()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                primary_key: [id, »variant]
                columns:
                  id: text
                  name: text
            """, "FLX0007", "The primary key of table 'items' names column 'variant', which the table does not declare.", "Declared columns: id, name.");
    }

    [Fact]
    public void FLX0008_ReferenceToUnknownTable()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
              prices:
                sync: sync
                columns:
                  item_id: { type: text, primary_key: true, references: »itmes.id }
            """, "FLX0008", "Column 'item_id' references 'itmes.id', but this domain has no table 'itmes' (did you mean 'items'?)",
            "References take the form 'table.column'");
    }

    [Fact]
    public void FLX0008_ReferenceToUnknownColumn()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
              prices:
                sync: sync
                columns:
                  item_id: { type: text, primary_key: true, references: »items.idd }
            """, "FLX0008", "but table 'items' has no column 'idd' (did you mean 'id'?)");
    }

    [Fact]
    public void FLX0008_ReferenceToAColumnThatIsNotAKey()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: text
              prices:
                sync: sync
                columns:
                  item_name: { type: text, primary_key: true, references: »items.name }
            """, "FLX0008", "'name' is neither the primary key of 'items' nor unique", "must name a declared primary key or unique column");
    }

    [Fact]
    public void FLX0008_ReferenceWithoutAColumn()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  parent: { type: text, nullable: true, references: »items }
            """, "FLX0008", "Column 'parent' references 'items', but it is not of the form 'table.column'");
    }

    [Fact]
    public void FLX0009_InvalidColumnName()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  »role-type: text
            """, "FLX0009", "'role-type' is not a valid column name. Use lower snake_case: 'role_type'. A name is a letter, then letters, digits or underscores, at most 63 characters.");
    }

    [Fact]
    public void FLX0009_SuggestsTheSnakeCaseOfTheNameWritten()
    {
        // Not a generic example: the name the user wrote, in snake_case (and so the C# name they meant).
        AssertReportsAll("""
            domain: shop
            tables:
              »OrderItems:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  »RoleType: text
                  »HTTPServer: text
                  »s3Key: text
            """, ["FLX0009", "FLX0009", "FLX0009", "FLX0009"],
            "'OrderItems' is not a valid table name. Use lower snake_case: 'order_items'.",
            "'RoleType' is not a valid column name. Use lower snake_case: 'role_type'.",
            "'HTTPServer' is not a valid column name. Use lower snake_case: 'http_server'.",
            "'s3Key' is not a valid column name. Use lower snake_case: 's3_key'.");
    }

    [Fact]
    public void FLX0009_NoSuggestionWhenTheSnakeCaseIsNoValidName()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  »3DModel: text
            """, "FLX0009", "'3DModel' is not a valid column name. Use lower snake_case. A name is a letter, then");
    }

    [Fact]
    public void FLX0009_PostgresReservedDomainName()
    {
        // The domain's shared tables live upstream in the Postgres schema of its name; Postgres refuses 'pg_' ones.
        AssertReports("""
            domain: »pg_shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0009", "'pg_shop' is not a valid domain name. Use lower snake_case.", "names starting with 'pg_' are reserved by Postgres for its own schemas");
    }

    [Fact]
    public void FLX0009_ReservedTableName()
    {
        AssertReports("""
            domain: shop
            tables:
              »sqlite_items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0009", "'sqlite_items' is not a valid table name", "names starting with 'sqlite_' or '_filix' are reserved");
    }

    [Fact]
    public void FLX0009_InvalidDomainName()
    {
        AssertReports("""
            domain: »My Shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0009", "'My Shop' is not a valid domain name. Use lower snake_case: 'my_shop'.");
    }

    [Fact]
    public void FLX0009_InvalidIndexName()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: text
                indexes:
                  - { columns: [name], name: »ByName }
            """, "FLX0009", "'ByName' is not a valid index name. Use lower snake_case: 'by_name'.");
    }

    [Fact]
    public void FLX0010_InvalidSyncTag()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: »shared
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0010", "Table 'items' has sync tag 'shared'", "Use 'sync' (always shared), 'local' (never leaves this machine) or 'optional'");
    }
}
