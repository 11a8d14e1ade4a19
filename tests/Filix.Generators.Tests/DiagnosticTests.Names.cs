namespace Filix.Generators.Tests;

/// <summary>FLX0022: generated C# names that would clash (a duplicate hint name crashes the generator with
/// CS8785; a duplicate member does not compile).</summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void FLX0022_RecordNamedLikeTheSchemaFile()
    {
        // Record 'Schema' would be Shop.Schema.g.cs, the domain's schema file.
        AssertReports("""
            domain: shop
            tables:
              »schemas:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0022", "Table 'schemas' would generate the C# name 'Schema' (its record type), which is reserved: the domain's own file is Shop.Schema.g.cs.",
            "Set 'record: <OtherName>' on table 'schemas'.");
    }

    [Fact]
    public void FLX0022_RecordNamedLikeTheDatabaseFile()
    {
        AssertReports("""
            domain: shop
            tables:
              »databases:
                sync: local
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0022", "Table 'databases' would generate the C# name 'Database' (its record type), which is reserved: the domain's own file is Shop.Database.g.cs.");
    }

    [Fact]
    public void FLX0022_TwoTablesWithOneRecordName()
    {
        AssertReports("""
            domain: shop
            tables:
              people:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
              »persons:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0022", "Table 'persons' would generate the C# name 'Person' (its record type), which is also the record type of table 'people' (line 3).",
            "Set 'record: <OtherName>' on table 'persons', or rename one of the tables.");
    }

    [Fact]
    public void FLX0022_RecordNameClashesWithARepository()
    {
        // Reported at the 'record:' value that makes the clash.
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
              lists:
                sync: local
                record: »ItemsTable
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0022", "Table 'lists' would generate the C# name 'ItemsTable' (its record type), which is also the repository type of table 'items' (line 3).");
    }

    [Fact]
    public void FLX0022_TablePropertyTakesTheFileNameConstant()
    {
        AssertReports("""
            domain: shop
            tables:
              »file_name:
                sync: local
                primary_key: [id]
                columns:
                  id: text
            """, "FLX0022", "Table 'file_name' would generate the C# name 'FileName' (its property of ShopDatabase), which is taken by the database file name constant.",
            "Rename the table");
    }

    [Fact]
    public void FLX0022_TableNamedDatabase()
    {
        // Both its record (file Shop.Database.g.cs) and its property (ShopDatabase.Database) clash.
        AssertReportsAll("""
            domain: shop
            tables:
              »»database:
                sync: local
                columns:
                  id: { type: text, primary_key: true }
            """, ["FLX0022", "FLX0022"], "reserved: the domain's own file is Shop.Database.g.cs",
            "Table 'database' would generate the C# name 'Database' (its property of ShopDatabase), which is taken by the property holding the underlying FilixDatabase.");
    }

    [Fact]
    public void FLX0022_TableNamedLikeTheDatabaseClass()
    {
        // Its record and its property both take the database class's name.
        AssertReportsAll("""
            domain: shop
            tables:
              »»shop_database:
                sync: local
                columns:
                  id: { type: text, primary_key: true }
            """, ["FLX0022", "FLX0022"], "'ShopDatabase' (its record type), which is also the domain's database class.",
            "'ShopDatabase' (its property of ShopDatabase), which is taken by the name of the class itself.");
    }

    [Fact]
    public void FLX0022_TwoLookupsWithOneMethodName()
    {
        // Unique column 'a_and_b' and a unique index on (a, b) both give GetByAAndBAsync; reported at the index.
        AssertReports("""
            domain: shop
            tables:
              pairs:
                sync: local
                columns:
                  id: { type: text, primary_key: true }
                  a: text
                  b: text
                  a_and_b: { type: text, unique: true }
                indexes:
                  - »{ columns: [a, b], unique: true }
            """, "FLX0022", "Table 'pairs' would generate the C# name 'GetByAAndBAsync' (the lookup for index 'ux_pairs_a_b' on (a, b)), which is also the lookup for unique column 'a_and_b' (line 9).",
            "Rename a column so the two lookups differ.");
    }

    [Fact]
    public void FLX0022_OneLookupTwiceIsNoClash()
    {
        // A unique column and a unique index on it are the same lookup: one GetByCodeAsync, no diagnostic.
        var output = GeneratorHarness.Run(GeneratorHarness.Schema(FileName, """
            domain: shop
            tables:
              items:
                sync: local
                columns:
                  id: { type: text, primary_key: true }
                  code: { type: text, unique: true }
                indexes:
                  - { columns: [code], unique: true }
            """));
        Assert.Empty(output.Printed);
    }
}
