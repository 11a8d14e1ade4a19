namespace Filix.Generators.Tests;

// FLX0012..FLX0021: sharing rules, structure, keys, references across files; and many mistakes in one pass.
public sealed partial class DiagnosticTests
{
    [Fact]
    public void FLX0012_SyncTableReferencesLocalTable()
    {
        AssertReports("""
            domain: shop
            tables:
              drafts:
                sync: local
                columns:
                  id: { type: text, primary_key: true }
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  draft_id: { type: text, nullable: true, references: »drafts.id }
            """, "FLX0012", "Table 'items' (sync) references table 'drafts' (local): its rows would reach the upstream without the rows they point to.",
            "Make 'drafts' sync, make 'items' local, or drop the reference.");
    }

    [Fact]
    public void FLX0012_SyncTableReferencesOptionalTable()
    {
        AssertReports("""
            domain: shop
            tables:
              notes:
                sync: optional
                columns:
                  id: { type: integer, primary_key: true }
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  note_id: { type: integer, nullable: true, references: »notes.id }
            """, "FLX0012", "Table 'items' (sync) references table 'notes' (optional)");
    }

    [Fact]
    public void FLX0012_LocalTableMayReferenceSyncTable()
    {
        var output = GeneratorHarness.Run(GeneratorHarness.Schema(FileName, """
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
              drafts:
                sync: local
                columns:
                  id: { type: text, primary_key: true }
                  item_id: { type: text, references: items.id }
            """));
        Assert.True(output.Diagnostics.Count == 0, string.Join("\n", output.Printed));
    }

    [Fact]
    public void FLX0013_MissingColumnType()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  »name: { nullable: true }
            """, "FLX0013", "column 'items.name' is missing the required key 'type'", "Add 'type: <type>' with one of: text, integer,");
    }

    [Fact]
    public void FLX0013_MissingSyncTag()
    {
        AssertReports("""
            domain: shop
            tables:
              »items:
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0013", "table 'items' is missing the required key 'sync'", "Add 'sync: sync' (always shared), 'sync: local'");
    }

    [Fact]
    public void FLX0013_MissingDomain()
    {
        AssertReports("""
            »tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0013", "The schema file is missing the required key 'domain'", "Add 'domain: <name>'");
    }

    [Fact]
    public void FLX0014_ColumnsAsAListInsteadOfAMapping()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                primary_key: id
                columns: »[id, name]
            """, "FLX0014", "'columns' must be a mapping from column name to its definition, such as 'name: { type: text }', but it is a list.");
    }

    [Fact]
    public void FLX0014_EmptyTables()
    {
        AssertReports("""
            domain: shop
            tables: »{}
            """, "FLX0014", "'tables' must be a mapping with at least one table, but it is an empty mapping. Add a table as 'name:'");
    }

    [Fact]
    public void FLX0014_EmptyColumns()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                primary_key: id
                columns: »{}
            """, "FLX0014", "'columns' must be a mapping from column name to its definition, such as 'name: { type: text }', but it is an empty mapping.");
    }

    [Fact]
    public void FLX0015_DuplicateIndex()
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
                  - [name]
                  - »[name]
            """, "FLX0015", "Table 'items' declares an index on (name) twice", "Remove one of them.");
    }

    [Fact]
    public void FLX0015_DefaultIndexNamesClashAcrossTables()
    {
        // ix_item_tags_name twice: index names are unique per database, not per table.
        AssertReports("""
            domain: shop
            tables:
              item:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  tags_name: text
                indexes:
                  - [tags_name]
              item_tags:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: text
                indexes:
                  - »[name]
            """, "FLX0015", "Index 'ix_item_tags_name' of table 'item_tags' has the name of index 'ix_item_tags_name' of table 'item' (line 9): tables and indexes share one namespace per database in SQLite and Postgres.",
            "Remove one of them, or give this one a 'name:'.");
    }

    [Fact]
    public void FLX0015_IndexNamedLikeATable()
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
                  - »{ columns: [name], name: orders }
              orders:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0015", "Index 'orders' of table 'items' has the name of table 'orders' (line 10)", "Remove one of them or rename it.");
    }

    [Fact]
    public void FLX0015_IndexNamedLikeAnIndexPostgresCreates()
    {
        // Postgres names the index of a unique column <table>_<column>_key (and of a primary key <table>_pkey).
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  sku: { type: text, unique: true }
                  name: text
                indexes:
                  - »{ columns: [name], name: items_sku_key }
            """, "FLX0015", "Index 'items_sku_key' of table 'items' has the name of the index Postgres creates for unique column 'items.sku' (line 7)");
    }

    [Fact]
    public void FLX0009_DefaultIndexNameTooLong()
    {
        AssertReports("""
            domain: shop
            tables:
              inventory_items_by_warehouse:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  warehouse_region_code: text
                  storage_bin_label: text
                indexes:
                  - »[warehouse_region_code, storage_bin_label]
            """, "FLX0009", "'ix_inventory_items_by_warehouse_warehouse_region_code_storage_bin_label' is not a valid index name",
            "at most 63 characters; it is this index's default name, so give the index a shorter 'name:'.");
    }

    [Fact]
    public void FLX0016_PrimaryKeyDeclaredTwice()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                primary_key: [id, name]
                columns:
                  »id: { type: text, primary_key: true }
                  name: text
            """, "FLX0016", "Table 'items' declares its primary key both with 'primary_key: true' on column 'id' and with a table-level 'primary_key' list. Keep one of them.");
    }

    [Fact]
    public void FLX0017_NullablePrimaryKey()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  »id: { type: text, primary_key: true, nullable: true }
            """, "FLX0017", "Column 'id' of table 'items' is part of the primary key and cannot be nullable. Remove 'nullable: true'.");
    }

    [Fact]
    public void FLX0018_ReferenceTypeMismatch()
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
                  item_id: { type: integer, primary_key: true, references: »items.id }
            """, "FLX0018", "Column 'item_id' (integer) references 'items.id' (text)", "Change the type of 'item_id' to 'text'.");
    }

    [Fact]
    public void FLX0019_InvalidBoolean()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: { type: text, nullable: »yes }
            """, "FLX0019", "'nullable' must be true or false, but it is 'yes'.");
    }

    [Fact]
    public void FLX0019_InvalidRecordName()
    {
        AssertReports("""
            domain: shop
            tables:
              people:
                sync: sync
                record: »person
                columns:
                  id: { type: text, primary_key: true }
            """, "FLX0019", "'record' must be a C# type name in PascalCase such as 'Person', but it is 'person'.");
    }

    [Fact]
    public void FLX0020_DuplicateKey()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name:
                    type: text
                    »type: integer
            """, "FLX0020", "Key 'type' appears twice in column 'items.name' (first at line 8). Remove one of them.");
    }

    [Fact]
    public void FLX0020_ColumnTwiceInThePrimaryKey()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                primary_key: [id, »id]
                columns:
                  id: text
            """, "FLX0020", "Key 'id' appears twice in the primary key of table 'items' (first at line 5). Remove one of them.");
    }

    [Fact]
    public void FLX0021_DuplicateDomain()
    {
        const string schema = """
            # Copied from another file without renaming the domain.
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
            """;
        var output = GeneratorHarness.Run(GeneratorHarness.Schema("a/shop.filix.yaml", schema), GeneratorHarness.Schema("b/shop.filix.yaml", schema));
        var diagnostic = Assert.Single(output.Printed);
        Assert.StartsWith("b/shop.filix.yaml(2,9): error FLX0021: Domain 'shop' is declared in two schema files ('a/shop.filix.yaml' and 'b/shop.filix.yaml').", diagnostic);
        Assert.Contains("Each domain needs its own name.", diagnostic);
    }

    [Fact]
    public void SeveralMistakesAreReportedInOnePass()
    {
        AssertReportsAll("""
            domain: shop
            tables:
              items:
                sync: »always
                columns:
                  id: { type: text, primary_key: true }
                  name: { type: »strng, »nulable: true }
                  price: { type: real, default: »free }
                indexes:
                  - [»nme]
              »orders:
                sync: sync
                columns:
                  item_id: { type: text, references: »item.id }
            """, ["FLX0010", "FLX0003", "FLX0002", "FLX0011", "FLX0007", "FLX0004", "FLX0008"],
            "sync tag 'always'", "unknown type 'strng'", "did you mean 'nullable'?", "Default 'free'", "'orders' has no primary key",
            "names column 'nme'", "no table 'item' (did you mean 'items'?)");
    }
}
