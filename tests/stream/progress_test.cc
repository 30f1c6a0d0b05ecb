#include "stream/progress.h"

#include <gtest/gtest.h>

namespace runnel::stream {
namespace {

QueryProgress sample() {
  QueryProgress progress;
  progress.job = "users_to_store";
  progress.state = QueryState::kRunning;
  progress.batch_id = 12;
  progress.input_rows = 10000;
  progress.output_rows = 9997;
  progress.dead_letters = 3;
  progress.input_rows_per_second = 95000.4;
  progress.processed_rows_per_second = 94800;
  progress.batch_duration_ms = 105;
  progress.partitions = {{"users_created", 0, 5000, 5230, 230},
                         {"users_created", 1, 700, 1700, 1000}};
  progress.total_input_rows = 130000;
  progress.total_output_rows = 129997;
  progress.total_dead_letters = 3;
  return progress;
}

TEST(ProgressTest, StatusLineReadsLikeSparkConsoleProgress) {
  EXPECT_EQ(status_line(sample()),
            "batch 12 | 10,000 rows | in 95,000/s | out 94,800/s | lag 1,230 | dlq 3");
}

TEST(ProgressTest, StatusLineBeforeTheFirstBatchAndAfterAFailure) {
  QueryProgress progress;
  EXPECT_EQ(status_line(progress), "starting");
  progress.state = QueryState::kFailed;
  progress.error = "sink postgres failed";
  EXPECT_EQ(status_line(progress), "failed: sink postgres failed");
}

TEST(ProgressTest, TotalLagSkipsUnknownPartitions) {
  QueryProgress progress = sample();
  progress.partitions.push_back({"users_created", 2, -1, -1, -1});
  EXPECT_EQ(progress.total_lag(), 1230);
}

TEST(ProgressTest, JsonNamesFollowSpark) {
  EXPECT_EQ(to_json(sample()),
            "{\"name\":\"users_to_store\",\"state\":\"running\",\"batchId\":12,"
            "\"timestampMs\":0,\"numInputRows\":10000,\"numOutputRows\":9997,"
            "\"numDeadLetters\":3,\"inputRowsPerSecond\":95000.4,"
            "\"processedRowsPerSecond\":94800,\"batchDurationMs\":105,"
            "\"totalInputRows\":130000,\"totalOutputRows\":129997,\"totalDeadLetters\":3,"
            "\"totalLag\":1230,\"partitions\":["
            "{\"topic\":\"users_created\",\"partition\":0,\"nextOffset\":5000,"
            "\"highWatermark\":5230,\"lag\":230},"
            "{\"topic\":\"users_created\",\"partition\":1,\"nextOffset\":700,"
            "\"highWatermark\":1700,\"lag\":1000}]}");
}

}  // namespace
}  // namespace runnel::stream
