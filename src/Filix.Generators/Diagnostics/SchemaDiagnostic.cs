using System.Linq;
using Filix.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Filix.Generators.Diagnostics;

/// <summary>
/// A diagnostic as plain data (id, place, message arguments), so the parse result stays equatable and cacheable;
/// it becomes a Roslyn <see cref="Diagnostic"/> only when reported.
/// </summary>
internal sealed record SchemaDiagnostic(DiagnosticDescriptor Descriptor, SourceSpan Span, EquatableArray<string> Args)
{
    public static SchemaDiagnostic Create(DiagnosticDescriptor descriptor, SourceSpan span, params string[] args) =>
        new(descriptor, span, args.ToEquatableArray());

    public string Id => Descriptor.Id;

    public string Message => string.Format(System.Globalization.CultureInfo.InvariantCulture, Descriptor.MessageFormat.ToString(), Args.Cast<object>().ToArray());

    public Diagnostic ToDiagnostic()
    {
        var location = Location.Create(
            Span.Path,
            new TextSpan(Span.StartOffset, System.Math.Max(0, Span.EndOffset - Span.StartOffset)),
            new LinePositionSpan(new LinePosition(Span.StartLine, Span.StartColumn), new LinePosition(Span.EndLine, Span.EndColumn)));
        return Diagnostic.Create(Descriptor, location, Args.Cast<object>().ToArray());
    }

    public override string ToString() => $"{Span}: error {Id}: {Message}";
}
