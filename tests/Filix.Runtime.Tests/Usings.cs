global using Filix.Runtime.Tests.KitchenSink;
global using Filix.Testing;
