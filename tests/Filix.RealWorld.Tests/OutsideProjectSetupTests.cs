using Filix.Testing;

namespace Filix.RealWorld.Tests;

/// <summary>
/// The docs' setup in a project laid out unlike this repository: its schema beside it (<c>schema/tiny.filix.yaml</c>
/// in the project folder), and another project's schema at <c>../../schema</c>, where the migrations targets look
/// when <c>FilixSchemaDir</c> is not set. A project's schemas are the ones it lists: the build records the
/// migrations of tiny, in the project, and neither reads nor writes the other folder (issue 10, defect 12).
/// </summary>
public sealed class OutsideProjectSetupTests : IDisposable
{
    private readonly TempDirectory _root = TempDirectory.Create("outside");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task A_project_records_the_migrations_of_the_schemas_it_lists_and_of_no_other()
    {
        var other = _root.File("schema");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "other.filix.yaml"), """
            domain: other
            tables:
              notes:
                sync: local
                columns:
                  id: { type: integer, primary_key: true }
            """);
        var project = new OutsideProject(_root.File(Path.Combine("apps", "Tiny")), "Tiny");
        Directory.CreateDirectory(Path.Combine(project.Directory, "schema"));
        File.WriteAllText(Path.Combine(project.Directory, "schema", "tiny.filix.yaml"), """
            domain: tiny
            tables:
              user:
                sync: sync
                columns:
                  id:    { type: integer, primary_key: true }
                  group: { type: text, default: staff }
            """);
        File.WriteAllText(Path.Combine(project.Directory, "Program.cs"), """
            // Prints the migrations built into this program, then uses the database they create.
            System.Console.WriteLine("tiny: " + string.Join(" ", RealWorld.Tiny.TinySchema.Definition.Migrations));
            var folder = System.IO.Directory.CreateTempSubdirectory("filix-tiny-").FullName;
            await using (var db = await RealWorld.Tiny.TinyDatabase.OpenInFolderAsync(folder))
            {
                await db.User.InsertAsync(new() { Id = 1 });
                System.Console.WriteLine("group: " + (await db.User.GetAsync(1))?.Group);
                System.Console.WriteLine("applied: " + string.Join(" ", db.Database.Migrations.Pending));
            }
            System.IO.Directory.Delete(folder, recursive: true);
            """);
        project.WriteProjectFile("schema/*.filix.yaml", "INITIAL");

        var build = await project.RestoreAndBuildAsync();
        Assert.True(build.Succeeded, "The project did not build:\n" + build.Output);
        var run = await ChildProcess.DotnetAsync(project.Directory, TimeSpan.FromMinutes(1), Path.Combine(project.OutputDirectory, "Tiny.dll"));
        Assert.True(run.Succeeded, "The program failed:\n" + run.Output);

        // One assertion over everything, so a failure shows the whole picture (and the build's output).
        // Where in the project the history lives is the setup's choice (docs/migrations.md: a migrations folder beside
        // the schemas); that it is in the project, outside bin/ and obj/, is the point.
        var recorded = Directory.EnumerateFiles(project.Directory, "*.sql", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(project.Directory, f))
            .Where(f => !f.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) && !f.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal);
        var elsewhere = Directory.EnumerateFileSystemEntries(other, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(_root.Path, f)).Order(StringComparer.Ordinal);
        var seen = $"""
            program: {run.Output.Trim().ReplaceLineEndings(" | ")}
            recorded in the project: {string.Join(", ", recorded)}
            in ../../schema: {string.Join(", ", elsewhere)}
            """;
        var expected = $"""
            program: tiny: 0001_initial | group: staff | applied: 0001_initial
            recorded in the project: 0001_initial.postgres.sql, 0001_initial.sqlite.sql
            in ../../schema: {Path.Combine("schema", "other.filix.yaml")}
            """;
        Assert.True(expected == seen, $"Expected:\n{expected}\nSeen:\n{seen}\nBuild output:\n{build.Output}");
    }
}
