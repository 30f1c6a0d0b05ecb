#include "cli/command.h"

namespace runnel::cli {

void add_kafka_options(CLI::App& command, KafkaOptions& options) {
  command
      .add_option("--kafka", options.bootstrap_servers,
                  "Kafka bootstrap servers, host:port[,host:port]")
      ->envname("RUNNEL_KAFKA")
      ->capture_default_str();
  command
      .add_option("-X,--property", options.properties,
                  "librdkafka property name=value, repeatable (e.g. -X debug=protocol,broker "
                  "with --log-level debug)")
      ->allow_extra_args(false);
}

Result<kafka::Properties> kafka_properties(const KafkaOptions& options) {
  kafka::Properties properties{{"bootstrap.servers", options.bootstrap_servers},
                               {"client.id", "runnel"}};
  for (const auto& text : options.properties) {
    auto property = kafka::parse_property(text);
    if (!property) return invalid_argument("-X: " + property.status().message());
    properties.insert_or_assign(property->first, property->second);
  }
  return properties;
}

}  // namespace runnel::cli
