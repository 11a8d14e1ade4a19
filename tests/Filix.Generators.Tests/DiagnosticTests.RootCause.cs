namespace Filix.Generators.Tests;

/// <summary>One mistake, one message: a column whose definition has an error (an unknown type, no type, not a
/// definition, an invalid name) still exists for the checks of keys, indexes and references, which would otherwise
/// add FLX0004, FLX0007, FLX0008 or FLX0018 claiming a column is missing or mistyped.</summary>
public sealed partial class DiagnosticTests
{
    [Fact]
    public void An_unknown_type_is_reported_once_not_again_by_the_key_indexes_and_references_naming_the_column()
    {
        AssertReportsAll("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: »strng, primary_key: true }
                  code: { type: »txt, unique: true }
                  name: text
                indexes:
                  - [code]
                  - { columns: [code, name], unique: true }
              parts:
                sync: sync
                primary_key: [item_id, seq]
                columns:
                  item_id: { type: integer, references: items.id }
                  seq: integer
                  code: { type: text, references: items.code }
            """, ["FLX0003", "FLX0003"],
            "Column 'id' has unknown type 'strng'",
            "Column 'code' has unknown type 'txt'");
    }

    [Fact]
    public void An_unknown_type_in_a_table_level_primary_key_is_reported_once()
    {
        AssertReports("""
            domain: shop
            tables:
              lines:
                sync: sync
                primary_key: [order_id, line]
                columns:
                  order_id: »guid
                  line: integer
            """, "FLX0003", "Column 'order_id' has unknown type 'guid'");
    }

    [Fact]
    public void A_column_without_a_type_is_reported_once()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  »id: { primary_key: true }
                  name: text
                indexes:
                  - [id, name]
            """, "FLX0013", "column 'items.id' is missing the required key 'type'");
    }

    [Fact]
    public void A_column_that_is_not_a_definition_is_reported_once()
    {
        AssertReports("""
            domain: shop
            tables:
              items:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  tags: »[a, b]
                indexes:
                  - [tags]
            """, "FLX0014", "'tags' must be a column type such as 'text'");
    }

    [Fact]
    public void A_column_with_an_invalid_name_is_reported_once_where_the_key_and_a_reference_name_it()
    {
        AssertReportsAll("""
            domain: shop
            tables:
              roles:
                sync: sync
                primary_key: [id, RoleType]
                columns:
                  id: text
                  »RoleType: { type: text, unique: true }
              grants:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  role_type: { type: text, references: roles.RoleType }
            """, ["FLX0009"], "'RoleType' is not a valid column name. Use lower snake_case: 'role_type'.");
    }
}
