using Xunit.Abstractions;
using Xunit.Sdk;

namespace Filix.RealWorld.Tests;

/// <summary>Marks a test that needs the program built after the edit: <see cref="InitialBuildFirst"/> runs it last.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AfterTheEditAttribute : Attribute;

/// <summary>Runs the tests of the first program first, while the second one builds (tests of one collection run one
/// at a time, in this order).</summary>
public sealed class InitialBuildFirst : ITestCaseOrderer
{
    public const string TypeName = "Filix.RealWorld.Tests.InitialBuildFirst";

    public const string AssemblyName = "Filix.RealWorld.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases.OrderBy(t => t.TestMethod.Method.GetCustomAttributes(typeof(AfterTheEditAttribute)).Any())
            .ThenBy(t => t.DisplayName, StringComparer.Ordinal);
}
