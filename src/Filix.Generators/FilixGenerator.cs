using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Filix.Generators.Diagnostics;
using Filix.Generators.Emit;
using Filix.Generators.Model;
using Filix.Generators.Parsing;
using Microsoft.CodeAnalysis;

namespace Filix.Generators;

/// <summary>
/// Filix's incremental generator: each <c>*.filix.yaml</c> additional file is parsed into an equatable
/// <see cref="DomainSpec"/> (plus diagnostics), and code is emitted from the spec alone. Nothing in the pipeline
/// holds a <see cref="Compilation"/> or a symbol, so an edit to C# code leaves every step cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class FilixGenerator : IIncrementalGenerator
{
    public const string SchemaFileSuffix = ".filix.yaml";

    /// <summary>Tracking names, so tests can assert each step's caching.</summary>
    public static class Steps
    {
        public const string Parse = "Filix.Parse";
        public const string Specs = "Filix.Specs";
        public const string Migrations = "Filix.Migrations";
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var rootNamespace = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            options.GlobalOptions.TryGetValue("build_property.FilixNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns) ? ns
            : options.GlobalOptions.TryGetValue("build_property.RootNamespace", out ns) && !string.IsNullOrWhiteSpace(ns) ? ns
            : string.Empty);

        var parsed = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(SchemaFileSuffix, StringComparison.OrdinalIgnoreCase))
            .Combine(rootNamespace)
            .Select(static (input, cancellationToken) =>
            {
                var (file, ns) = input;
                var text = file.GetText(cancellationToken)?.ToString() ?? string.Empty;
                return SchemaParser.Parse(file.Path, text, ns, cancellationToken);
            })
            .WithTrackingName(Steps.Parse);

        context.RegisterSourceOutput(parsed.SelectMany(static (result, _) => result.Diagnostics), static (spc, diagnostic) =>
            spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

        var specs = parsed
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => result.Spec!)
            .WithTrackingName(Steps.Specs);

        context.RegisterSourceOutput(specs, static (spc, spec) =>
        {
            foreach (var file in Emitter.Emit(spec))
            {
                spc.AddSource(file.HintName, file.Source);
            }
        });

        // Recorded migrations (schema/migrations/<domain>/NNNN_name.<dialect>.sql) are embedded per domain.
        var migrationFiles = context.AdditionalTextsProvider
            .Select(static (file, cancellationToken) =>
                Migrations.MigrationFile.TryParse(file.Path, string.Empty, out _)
                    && Migrations.MigrationFile.TryParse(file.Path, file.GetText(cancellationToken)?.ToString() ?? string.Empty, out var parsed) ? parsed : null)
            .Where(static file => file is not null)
            .Collect();
        var withMigrations = specs
            .Combine(migrationFiles)
            .Select(static (input, _) => (Spec: input.Left, Migrations: Migrations.MigrationFile.Pair(input.Left.Name, input.Right!)))
            .WithTrackingName(Steps.Migrations);
        context.RegisterSourceOutput(withMigrations, static (spc, input) =>
        {
            var file = Emitter.EmitMigrations(input.Spec, input.Migrations);
            spc.AddSource(file.HintName, file.Source);
        });

        // Two files may not declare the same domain: both would generate the same types and the same file name.
        var duplicates = specs
            .Select(static (spec, _) => (spec.Name, spec.SourcePath))
            .Collect()
            .SelectMany(static (all, _) => FindDuplicateDomains(all));
        context.RegisterSourceOutput(duplicates, static (spc, diagnostic) => spc.ReportDiagnostic(diagnostic.ToDiagnostic()));
    }

    private static ImmutableArray<SchemaDiagnostic> FindDuplicateDomains(ImmutableArray<(string Name, string Path)> domains)
    {
        var builder = ImmutableArray.CreateBuilder<SchemaDiagnostic>();
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, path) in domains.OrderBy(d => d.Path, StringComparer.Ordinal))
        {
            if (first.TryGetValue(name, out var firstPath))
            {
                builder.Add(SchemaDiagnostic.Create(DiagnosticDescriptors.DuplicateDomain, SourceSpan.None(path), name, firstPath, path));
            }
            else
            {
                first.Add(name, path);
            }
        }

        return builder.ToImmutable();
    }
}
