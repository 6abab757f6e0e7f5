using BenchmarkDotNet.Running;
using Helpdesk.Monitoring.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, new BenchmarkConfig());
