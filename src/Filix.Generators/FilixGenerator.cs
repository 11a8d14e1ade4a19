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

        // Two files may not declare the same domain: both would generate the same types and hint names (and
        // AddSource would throw). FLX0021 is reported at each later file, which then emits nothing.
        var duplicates = parsed
            .Where(static result => result.Spec is not null)
            .Select(static (result, _) => (result.Spec!.Name, result.DomainNameSpan ?? SourceSpan.None(result.Spec.SourcePath)))
            .Collect()
            .Select(static (all, _) => FindDuplicateDomains(all).ToEquatableArray());
        context.RegisterSourceOutput(duplicates.SelectMany(static (all, _) => all), static (spc, diagnostic) =>
            spc.ReportDiagnostic(diagnostic.ToDiagnostic()));

        context.RegisterSourceOutput(specs.Combine(duplicates), static (spc, input) =>
        {
            var (spec, clashes) = input;
            if (clashes.Any(clash => clash.Span.Path == spec.SourcePath))
            {
                return;
            }

            foreach (var file in Emitter.Emit(spec))
            {
                spc.AddSource(file.HintName, file.Source);
            }
        });

        // Recorded migrations (migrations/<domain>/NNNN_name.<dialect>.sql) are embedded per domain, and the last
        // one's snapshot decides the schema hash the code carries (SchemaHash.ForCode). The path is parsed first,
        // so the text of other additional files is never read.
        var migrationFiles = context.AdditionalTextsProvider
            .Select(static (file, cancellationToken) =>
                Migrations.MigrationFile.TryParse(file.Path, string.Empty, out var parsed)
                    ? parsed with { Text = file.GetText(cancellationToken)?.ToString() ?? string.Empty }
                    : null)
            .Where(static file => file is not null)
            .Collect();
        var withMigrations = specs
            .Combine(migrationFiles)
            .Select(static (input, _) =>
            {
                var migrations = Migrations.MigrationFile.Pair(input.Left.Name, input.Right!);
                return (Spec: input.Left, Migrations: migrations, Hash: Migrations.MigrationFile.CodeHash(input.Left, migrations, input.Right!));
            })
            .WithTrackingName(Steps.Migrations);
        context.RegisterSourceOutput(withMigrations.Combine(duplicates), static (spc, input) =>
        {
            var ((spec, migrations, hash), clashes) = input;
            if (clashes.Any(clash => clash.Span.Path == spec.SourcePath))
            {
                return;
            }

            var file = Emitter.EmitMigrations(spec, migrations, hash);
            spc.AddSource(file.HintName, file.Source);
        });
    }

    private static ImmutableArray<SchemaDiagnostic> FindDuplicateDomains(ImmutableArray<(string Name, SourceSpan Span)> domains)
    {
        var builder = ImmutableArray.CreateBuilder<SchemaDiagnostic>();
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, span) in domains.OrderBy(d => d.Span.Path, StringComparer.Ordinal))
        {
            // Reported at the 'domain:' value of every file after the first (in path order, so it is stable).
            if (first.TryGetValue(name, out var firstPath))
            {
                builder.Add(SchemaDiagnostic.Create(DiagnosticDescriptors.DuplicateDomain, span, name, firstPath, span.Path));
            }
            else
            {
                first.Add(name, span.Path);
            }
        }

        return builder.ToImmutable();
    }
}
