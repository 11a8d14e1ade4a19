global using Filix.Runtime.Tests.KitchenSink;
global using Filix.Runtime.Tests.Support;
global using Filix.Testing;
