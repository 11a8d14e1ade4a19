using System;

namespace Filix.Generators.Model;

/// <summary>
/// What a switch over a model enum (<see cref="ColumnType"/>, <see cref="SyncMode"/>) throws past its last arm.
/// Every such switch names each value, so a new value fails loudly where it is first used instead of silently
/// taking another value's mapping. (netstandard2.0 has no UnreachableException.)
/// </summary>
internal static class Unhandled
{
    public static InvalidOperationException Value<T>(T value)
        where T : struct, Enum =>
        new($"Unhandled {typeof(T).Name} '{value}': every switch over {typeof(T).Name} must name each value; add an arm for it.");
}
