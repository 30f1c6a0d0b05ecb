#include "stream/dead_letter.h"

#include <utility>

namespace runnel::stream {

DeadLetter dead_letter_of(const kafka::ConsumedRecord& record, std::string reason) {
  return DeadLetter{
      .key = record.key,
      .value = record.value,
      .reason = std::move(reason),
      .topic = record.topic,
      .partition = record.partition,
      .offset = record.offset,
      .timestamp_ms = record.timestamp_ms,
      .headers = record.headers,
  };
}

std::string dead_letter_topic(std::string_view topic) {
  std::string name(topic);
  name += kDeadLetterTopicSuffix;
  return name;
}

kafka::ProducerRecord to_producer_record(const DeadLetter& letter) {
  kafka::ProducerRecord record;
  record.topic = dead_letter_topic(letter.topic);
  record.key = letter.key;
  record.value = letter.value;
  record.timestamp_ms = letter.timestamp_ms;
  record.headers = letter.headers;
  record.headers.push_back({kDeadLetterReasonHeader, letter.reason});
  record.headers.push_back({kDeadLetterTopicHeader, letter.topic});
  record.headers.push_back({kDeadLetterPartitionHeader, std::to_string(letter.partition)});
  record.headers.push_back({kDeadLetterOffsetHeader, std::to_string(letter.offset)});
  return record;
}

}  // namespace runnel::stream
