namespace Filix.Generators.Tests;

// FLX0011: a default that does not fit its column's type, one case per type (and the null and list cases).
public sealed partial class DiagnosticTests
{
    /// <summary>A one-table schema whose <c>value</c> column is <paramref name="column"/> (a flow mapping body).</summary>
    private static string WithColumn(string column) => $$"""
        domain: shop
        tables:
          items:
            sync: sync
            columns:
              id: { type: text, primary_key: true }
              value: { {{column}} }
        """;

    [Theory]
    [InlineData("type: integer, default: »1.5", "Default '1.5' of column 'value' does not fit type 'integer': expected a whole number such as 0 or -12.")]
    [InlineData("type: real, default: »fast", "Default 'fast' of column 'value' does not fit type 'real': expected a number such as 0.5.")]
    [InlineData("type: boolean, default: »yes", "Default 'yes' of column 'value' does not fit type 'boolean': expected true or false (unquoted).")]
    [InlineData("type: boolean, default: »\"true\"", "Default 'true' of column 'value' does not fit type 'boolean': expected true or false (unquoted).")]
    [InlineData("type: blob, default: »abc", "does not fit type 'blob': blob columns cannot have a default.")]
    [InlineData("type: timestamp, default: »yesterday", "does not fit type 'timestamp': expected 'now' or an ISO-8601 time such as 2024-01-31T12:00:00Z.")]
    [InlineData("type: date, default: »2024-02-30", "Default '2024-02-30' of column 'value' does not fit type 'date': expected 'today' or a date such as 2024-01-31.")]
    [InlineData("type: date, default: »now", "does not fit type 'date': expected 'today'")]
    [InlineData("type: json, default: »hello", "does not fit type 'json': expected a JSON value such as '{}', '[]'")]
    [InlineData("type: json, default: »'{\"a\": [1, 2}'", "does not fit type 'json': expected a JSON value")]
    [InlineData("type: uuid, default: »1234", "Default '1234' of column 'value' does not fit type 'uuid': expected a UUID such as 00000000-0000-0000-0000-000000000000.")]
    [InlineData("type: text, default: »null", "Default 'null' of column 'value' does not fit type 'text': the column is not nullable; add 'nullable: true' or give a value.")]
    [InlineData("type: text, default: »[a, b]", "does not fit type 'text': a default is a single value; quote JSON defaults")]
    public void FLX0011_DefaultDoesNotFitItsType(string column, string message)
    {
        AssertReports(WithColumn(column), "FLX0011", message);
    }

    [Theory]
    [InlineData("type: text, nullable: true, default: null")]
    [InlineData("type: integer, default: -12")]
    [InlineData("type: real, default: 1e3")]
    [InlineData("type: boolean, default: false")]
    [InlineData("type: timestamp, default: '2024-01-31T12:00:00Z'")]
    [InlineData("type: date, default: today")]
    [InlineData("type: json, default: []")]
    [InlineData("type: json, default: '\"text\"'")]
    [InlineData("type: uuid, default: 6f9619ff-8b86-d011-b42d-00cf4fc964ff")]
    public void FLX0011_DefaultsThatFitAreAccepted(string column)
    {
        var output = GeneratorHarness.Run(GeneratorHarness.Schema(FileName, WithColumn(column)));
        Assert.True(output.Diagnostics.Count == 0, string.Join("\n", output.Printed));
    }
}
