using System.Reflection;
using Filix.Domains.Entities;

namespace Filix.Runtime.Tests.Postgres;

/// <summary>
/// Every generated domain schema: each generated <c>&lt;Domain&gt;Schema</c> class exposes a static
/// <c>Definition</c>, so a new domain in Filix.Domains (or a new test schema here) is picked up without editing
/// this file. Reflection is fine in a test; the runtime never does this.
/// </summary>
internal static class DomainSchemas
{
    /// <summary>The assemblies whose generated schemas are tested: the shipped domains and this project's test schemas.</summary>
    private static readonly Assembly[] Assemblies = [typeof(EntitiesSchema).Assembly, typeof(KitchenSinkSchema).Assembly];

    public static IReadOnlyList<Domain> All { get; } = Discover();

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var domain in All)
        {
            data.Add(domain.Definition.Domain);
        }

        return data;
    }

    public static Domain Get(string name) => All.Single(d => d.Definition.Domain == name);

    private static List<Domain> Discover() =>
        Assemblies
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsClass && t.IsAbstract && t.IsSealed && t.Name.EndsWith("Schema", StringComparison.Ordinal))
            .Select(t => (Type: t, Property: t.GetProperty("Definition", BindingFlags.Public | BindingFlags.Static)))
            .Where(p => p.Property?.PropertyType == typeof(DatabaseSchema))
            .Select(p => new Domain((DatabaseSchema)p.Property!.GetValue(null)!, p.Type))
            .OrderBy(d => d.Definition.Domain, StringComparer.Ordinal)
            .ToList();

    /// <summary>One generated domain: its schema and the generated types beside it.</summary>
    public sealed record Domain(DatabaseSchema Definition, Type SchemaType)
    {
        /// <summary>Each table's SQL name with its record type and upstream adapter (null for local tables).</summary>
        public IReadOnlyList<TableTypes> Tables()
        {
            var types = SchemaType.Assembly.GetTypes().Where(t => t.Namespace == SchemaType.Namespace).ToList();
            var tables = new List<TableTypes>();
            foreach (var repository in types.Where(t => t.Name.EndsWith("Table", StringComparison.Ordinal)))
            {
                var name = repository.GetField("Name", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string;
                var read = repository.GetMethod("Read", BindingFlags.NonPublic | BindingFlags.Static);
                if (name is null || read is null)
                {
                    continue;
                }

                var upstreamName = repository.Name[..^"Table".Length] + "Upstream";
                tables.Add(new TableTypes(name, read.ReturnType, types.SingleOrDefault(t => t.Name == upstreamName)));
            }

            return tables;
        }
    }

    public sealed record TableTypes(string Name, Type Record, Type? Upstream);
}
