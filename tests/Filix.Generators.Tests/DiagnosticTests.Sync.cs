namespace Filix.Generators.Tests;

// FLX0023: what sync needs of a shared table (issue 11).
public sealed partial class DiagnosticTests
{
    [Fact]
    public void FLX0023_SharedTableWithABlobKey()
    {
        AssertReports("""
            domain: shop
            tables:
              thumbnails:
                sync: optional
                columns:
                  »digest: { type: blob, primary_key: true }
                  width: { type: integer }
            """, "FLX0023", "Column 'digest' is a blob in the primary key of table 'thumbnails' (optional): sync identifies a row on every machine by its key as JSON (json_array), which cannot hold a blob",
            "Use a text key (the hex or a hash of the bytes), or make 'thumbnails' local.");
    }

    [Fact]
    public void FLX0023_BlobInACompositeKeyOfASyncTable()
    {
        AssertReports("""
            domain: shop
            tables:
              parts:
                sync: sync
                primary_key: [name, blob_id]
                columns:
                  name: { type: text }
                  »blob_id: { type: blob }
            """, "FLX0023", "Column 'blob_id' is a blob in the primary key of table 'parts' (sync)");
    }

    [Fact]
    public void FLX0023_LocalTableMayHaveABlobKey()
    {
        var output = GeneratorHarness.Run(GeneratorHarness.Schema(FileName, """
            domain: shop
            tables:
              thumbnails:
                sync: local
                columns:
                  digest: { type: blob, primary_key: true }
                  data: { type: blob, nullable: true }
            """));
        Assert.True(output.Diagnostics.Count == 0, string.Join("\n", output.Printed));
    }
}
