namespace Filix.Generators.Model;

/// <summary>
/// Where something stands in a schema file: 0-based lines and columns (as Roslyn's LinePosition) and character
/// offsets. Plain values, so a spec that carries them stays equatable and holds no Roslyn objects.
/// </summary>
public sealed record SourceSpan(string Path, int StartLine, int StartColumn, int EndLine, int EndColumn, int StartOffset, int EndOffset)
{
    public static SourceSpan None(string path) => new(path, 0, 0, 0, 0, 0, 0);

    /// <summary>1-based "file(line,col)" as compilers print it.</summary>
    public override string ToString() => $"{Path}({StartLine + 1},{StartColumn + 1})";
}
