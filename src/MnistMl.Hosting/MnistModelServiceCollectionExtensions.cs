using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace MnistMl.Hosting;

/// <summary>Registers the model an ASP.NET Core or generic-host app serves.</summary>
public static class MnistModelServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="MnistModelService"/> as a singleton serving the model at
    /// <paramref name="modelPath"/>; the host loads it as it starts, so a missing or damaged
    /// model stops the app at start rather than at its first request.
    /// <code>
    /// builder.Services.AddMnistModel("mnist.zip", watchForChanges: true);
    /// app.MapPost("/predict", (MnistModelService models, DigitImage image) =&gt; models.Predict(image));
    /// </code>
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="modelPath">The model file.</param>
    /// <param name="watchForChanges">Swap in the file's new model whenever it changes.</param>
    public static IServiceCollection AddMnistModel(this IServiceCollection services, string modelPath, bool watchForChanges = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        services.AddLogging();
        services.Configure<MnistModelServiceOptions>(options =>
        {
            options.ModelPath = modelPath;
            options.WatchForChanges = watchForChanges;
        });
        services.TryAddSingleton<MnistModelService>();
        services.AddHostedService<ModelLoadAtStart>();
        return services;
    }

    /// <summary>Resolves the service as the host starts, which loads the model.</summary>
    private sealed class ModelLoadAtStart(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<MnistModelService>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
