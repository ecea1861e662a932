package io.github.overparam.spark.table;

import io.github.overparam.core.data.DataSpec;
import io.github.overparam.core.run.DatasetSummary;

/**
 * What a {@code datasets/} row is built from.
 *
 * @param spec the data spec
 * @param summary what was measured on the data set
 */
public record DatasetRecord(DataSpec spec, DatasetSummary summary) {}
