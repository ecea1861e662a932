package io.github.overparam.spark.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.overparam.spark.LocalSpark;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows written straight to Parquet read back as the same rows as Spark's own writer writes, with
 * the same Parquet schema and the same Spark schema (column comments and nullability included).
 */
class ParquetRowsTest {
  @RegisterExtension
  static final LocalSpark LOCAL = new LocalSpark(1);
  private static SparkSession spark;
  @TempDir
  File tmp;

  @BeforeAll
  static void start() {
    spark = LOCAL.session();
  }

  /** Every column type the tables use, required and optional, arrays with null, empty and missing. */
  private static final StructType SCHEMA = new StructType().add("id", DataTypes.StringType, false).add("note",
      DataTypes.StringType, true).add("count", DataTypes.IntegerType, true).add("seed", DataTypes.LongType, false).add(
          "loss", DataTypes.DoubleType, true).add("flag", DataTypes.BooleanType, true).add("layers",
              DataTypes.createArrayType(DataTypes.IntegerType, false), true).add("dists", DataTypes.createArrayType(
                  DataTypes.DoubleType, true), true);

  private static List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(RowFactory.create("id" + i, i % 3 == 0 ? null : "é note " + (i % 7), i % 5 == 0 ? null : i - 250,
          (long) i << 40, i % 4 == 0 ? null : i % 4 == 1 ? -0.0 : i / 7.0, i % 6 == 0 ? null : i % 2 == 0,
          i % 9 == 0 ? null : new Integer[] {1, i}, i % 8 == 0 ? null : i % 8 == 1 ? new Double[0]
              : new Double[] {null, i * 1e-300, Double.MAX_VALUE, Double.POSITIVE_INFINITY}));
    }
    return rows;
  }

  @Test
  void readsBackAsSparksOwnWriterWritesThem() throws IOException {
    File ours = new File(tmp, "ours");
    try (ParquetWriter<Row> w = ParquetRows.writer(new Path(new File(ours, "part-0.parquet").toURI()),
        new Configuration(), SCHEMA, spark.version(), List.of("id"))) {
      for (Row r : rows()) {
        w.write(r);
      }
    }
    File sparks = new File(tmp, "spark");
    spark.createDataFrame(rows(), SCHEMA).coalesce(1).write().parquet(sparks.getPath());

    Dataset<Row> a = spark.read().parquet(ours.getPath());
    Dataset<Row> b = spark.read().parquet(sparks.getPath());
    assertEquals(b.schema(), a.schema(), "the Spark schema read back");
    assertEquals(500, a.count());
    assertEquals(0, a.exceptAll(b).count());
    assertEquals(0, b.exceptAll(a).count());
    assertEquals(b.orderBy("id").collectAsList().toString(), a.orderBy("id").collectAsList().toString());

    FileMetaData oursMeta = footer(ours);
    FileMetaData sparksMeta = footer(sparks);
    assertEquals(sparksMeta.getSchema(), oursMeta.getSchema(), "the Parquet schema");
    Map<String, String> theirs = sparksMeta.getKeyValueMetaData();
    assertEquals(theirs.get(ParquetRows.SPARK_SCHEMA_KEY), oursMeta.getKeyValueMetaData().get(
        ParquetRows.SPARK_SCHEMA_KEY));
    assertEquals(SCHEMA.json(), oursMeta.getKeyValueMetaData().get(ParquetRows.SPARK_SCHEMA_KEY), "nullability kept");
    assertEquals(theirs.get(ParquetRows.SPARK_VERSION_KEY), oursMeta.getKeyValueMetaData().get(
        ParquetRows.SPARK_VERSION_KEY));
  }

  @Test
  void theTablesSchemasAreWrittenAsSparkWritesThem() throws IOException {
    for (Table table : List.of(Table.RUNS, Table.CURVES, Table.DATASETS)) {
      File sparks = new File(tmp, "empty-" + table.dir());
      spark.createDataFrame(List.of(), table.schema()).coalesce(1).write().parquet(sparks.getPath());
      assertEquals(footer(sparks).getSchema(), ParquetRows.messageType(table.schema()), table.dir());
    }
  }

  @Test
  void aNullInARequiredColumnOrAnUnknownTypeIsRefusedByName() throws IOException {
    try (ParquetWriter<Row> w = ParquetRows.writer(new Path(new File(tmp, "bad.parquet").toURI()),
        new Configuration(), SCHEMA, spark.version(), List.of())) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.write(RowFactory.create(null,
          null, null, 1L, null, null, null, null)));
      assertTrue(e.getMessage().contains("column id is required"), e.getMessage());
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ParquetRows.messageType(
        new StructType().add("when", DataTypes.TimestampType)));
    assertTrue(e.getMessage().contains("column when: type timestamp"), e.getMessage());
  }

  private static FileMetaData footer(File dir) throws IOException {
    File file = Arrays.stream(dir.listFiles()).filter(f -> f.getName().endsWith(".parquet")).findFirst().orElseThrow();
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(new Path(file.toURI()),
        new Configuration()))) {
      return reader.getFooter().getFileMetaData();
    }
  }
}
