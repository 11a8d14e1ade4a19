using System.CommandLine;
using Filix.Cli.Domains;

namespace Filix.Cli.Commands;

/// <summary><c>filix schema sql</c>: prints the generated DDL, for a person to read or to apply by hand.</summary>
internal static class SchemaCommand
{
    private static readonly string[] Dialects = ["sqlite", "postgres"];

    public static Command Create(GlobalOptions options)
    {
        var dialect = new Option<string>("--dialect")
        {
            Description = "sqlite (every table) or postgres (the shared tables: sync and optional)",
            DefaultValueFactory = _ => "sqlite",
        };
        var domain = new Option<string?>("--domain") { Description = "Only this domain (default: all of them)" };
        var sql = new Command("sql", "Print the CREATE statements the generator made from schema/*.filix.yaml.") { dialect, domain };
        CliAction.Set(sql, options, context => Task.FromResult(PrintSql(context, context.ParseResult.GetValue(dialect)!, context.ParseResult.GetValue(domain))));

        return new Command("schema", "Inspect the domain schemas.") { sql };
    }

    private static int PrintSql(CliContext context, string dialect, string? domainName)
    {
        var postgres = dialect.ToLowerInvariant() switch
        {
            "sqlite" => false,
            "postgres" or "postgresql" => true,
            _ => throw new UsageException($"unknown dialect '{dialect}'. Valid dialects: {string.Join(", ", Dialects)}."),
        };
        var domains = domainName is null ? DomainRegistry.All : [DomainRegistry.Find(domainName)];
        foreach (var domain in domains)
        {
            context.Output.WriteLine($"-- {domain.Name}: generated from {domain.Schema.SourceFile} (schema hash {domain.Schema.SchemaHash})");
            if (postgres && !domain.Shared)
            {
                context.Output.WriteLine("-- every table of this domain is local (sync: local): nothing goes to Postgres.");
            }
            else if (postgres)
            {
                // The DDL is unqualified, as the migrations are: it belongs in the domain's own schema.
                var schema = "\"" + domain.Schema.PostgresSchema + "\"";
                context.Output.WriteLine($"CREATE SCHEMA IF NOT EXISTS {schema};\nSET search_path TO {schema};\n");
                context.Output.WriteLine(domain.PostgresDdl);
            }
            else
            {
                context.Output.WriteLine(domain.SqliteDdl);
            }

            context.Output.WriteLine();
        }

        return 0;
    }
}
