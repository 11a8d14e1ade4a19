using System.Text.RegularExpressions;
using Filix.Testing;

namespace Filix.Migrations.Tests;

/// <summary>
/// Issue 10, defects 12 and 1 through a real <c>dotnet build</c>: a project outside this solution, set up with
/// exactly the project file docs/schema.md gives, records its own migration beside its own schema (before, with
/// the targets imported and FilixSchemaDir unset, the build read ../../schema and recorded nothing for it), opens a
/// database through the generated code, and a reordered schema then records nothing and still opens both the
/// existing database and a new one. Slow (child builds), so one test.
/// </summary>
public sealed partial class OutsideProjectTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly TempDirectory _dir = TempDirectory.Create("outside");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_project_set_up_as_the_docs_say_records_its_migrations_and_opens_its_database()
    {
        var root = RepoRoot();
        var project = Path.Combine(_dir.Path, "shop");
        Directory.CreateDirectory(Path.Combine(project, "schema"));
        File.WriteAllText(Path.Combine(project, "Shop.csproj"), DocumentedProject(root));
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            Directory.CreateDirectory(args[0]);
            await using var db = await MyApp.Shop.ShopDatabase.OpenInFolderAsync(args[0]);
            await db.Products.InsertAsync(new MyApp.Shop.Product { Id = "p" + await db.Products.CountAsync(), Name = "chair", Price = 12.5 });
            Console.WriteLine($"opened: applied [{string.Join(",", db.Database.Migrations.Pending.Select(m => m.ToString()))}], {await db.Products.CountAsync()} product(s)");
            """);
        var schema = Path.Combine(project, "schema", "shop.filix.yaml");
        File.WriteAllText(schema, """
            domain: shop
            tables:
              customers:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  email: { type: text, unique: true }
              products:
                sync: sync
                columns:
                  id: { type: text, primary_key: true }
                  name: text
                  price: real
            """);

        var (restored, restoreOutput) = await DotnetAsync(project, "restore", "-nologo", "-p:RestoreRecursive=false");
        Assert.True(restored == 0, "Restoring the documented project failed:\n" + restoreOutput);
        var (built, output) = await BuildAsync(project);
        Assert.True(built == 0, "Building the documented project failed:\n" + output);
        var history = Path.Combine(project, "schema", "migrations", "shop");
        Assert.True(File.Exists(Path.Combine(history, "0001_initial.sqlite.sql")), "No migration recorded beside the schema:\n" + output);
        Assert.Contains("Filix: recorded migration shop/0001_initial", output);

        var data = Path.Combine(_dir.Path, "data");
        var (ran, runOutput) = await DotnetAsync(project, OutputDll(project), data);
        Assert.True(ran == 0, runOutput);
        Assert.Contains("opened: applied [0001_initial], 1 product(s)", runOutput);

        // Defect 1: tables moved and columns swapped is no change; before the fix every open failed after this build.
        File.WriteAllText(schema, """
            domain: shop
            tables:
              products:
                sync: sync
                columns:
                  price: real
                  name: text
                  id: { type: text, primary_key: true }
              customers:
                sync: sync
                columns:
                  email: { type: text, unique: true }
                  id: { type: text, primary_key: true }
            """);
        (built, output) = await BuildAsync(project);
        Assert.True(built == 0, "Building the reordered project failed:\n" + output);
        Assert.Single(Directory.GetFiles(history, "*.sqlite.sql"));
        (ran, runOutput) = await DotnetAsync(project, OutputDll(project), data);
        Assert.True(ran == 0, "The existing database no longer opens after a reorder:\n" + runOutput);
        Assert.Contains("opened: applied [], 2 product(s)", runOutput);
        (ran, runOutput) = await DotnetAsync(project, OutputDll(project), Path.Combine(_dir.Path, "new-data"));
        Assert.True(ran == 0, "A new database does not open after a reorder:\n" + runOutput);
        Assert.Contains("opened: applied [0001_initial], 1 product(s)", runOutput);
    }

    /// <summary>The project file of docs/schema.md's "Using it in a project", with FilixSource pointing at this repository.</summary>
    private static string DocumentedProject(string root)
    {
        var doc = File.ReadAllText(Path.Combine(root, "docs", "schema.md"));
        var section = doc[doc.IndexOf("## Using it in a project", StringComparison.Ordinal)..];
        var xml = XmlBlock().Match(section);
        Assert.True(xml.Success, "docs/schema.md has no ```xml project file under 'Using it in a project'.");
        const string placeholder = "<FilixSource>../filix/src</FilixSource>";
        Assert.Contains(placeholder, xml.Groups[1].Value);
        return xml.Groups[1].Value.Replace(placeholder, $"<FilixSource>{Path.Combine(root, "src")}</FilixSource>", StringComparison.Ordinal);
    }

    [GeneratedRegex("```xml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex XmlBlock();

    private static string OutputDll(string project) => Path.Combine(project, "bin", DotnetCli.Configuration, "net10.0", "Shop.dll");

    /// <summary>Builds with the generator, runtime and tool this test run already built (no second copy compiled).</summary>
    private static async Task<(int ExitCode, string Output)> BuildAsync(string project)
    {
        var result = await DotnetCli.BuildAsync(project, Timeout);
        return (result.ExitCode, result.Output);
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(string directory, params string[] args)
    {
        var result = await DotnetCli.RunAsync(directory, Timeout, args);
        return (result.ExitCode, result.Output);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Filix.Schema.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Filix.Schema.sln above {AppContext.BaseDirectory}.");
    }
}
