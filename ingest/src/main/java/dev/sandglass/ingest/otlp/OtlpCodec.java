package dev.sandglass.ingest.otlp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import java.nio.charset.StandardCharsets;

/** OTLP/HTTP bodies: requests in, responses out, as protobuf or as OTLP/JSON. */
public final class OtlpCodec {
    private static final JsonFormat.Parser JSON_IN = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer JSON_OUT = JsonFormat.printer().omittingInsignificantWhitespace();

    private OtlpCodec() {
    }

    /** Thrown for a body that is not a request in the format it claims. */
    public static final class DecodeException extends RuntimeException {
        DecodeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public static ExportMetricsServiceRequest decode(byte[] body, boolean json) {
        try {
            if (json) {
                ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
                JSON_IN.merge(new String(body, StandardCharsets.UTF_8), b);
                return b.build();
            }
            return ExportMetricsServiceRequest.parseFrom(body);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new DecodeException("cannot decode OTLP " + (json ? "JSON" : "protobuf") + " body of " + body.length
                    + " bytes: " + e.getMessage(), e);
        }
    }

    /** The answer to an export: empty when all was taken, else a partial success naming what was not. */
    public static byte[] response(OtlpTranslator.Result r, boolean json) {
        ExportMetricsServiceResponse.Builder b = ExportMetricsServiceResponse.newBuilder();
        if (r.rejectedPoints() > 0 || !r.errors().isEmpty()) {
            b.setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
                    .setRejectedDataPoints(r.rejectedPoints()).setErrorMessage(r.message()));
        }
        ExportMetricsServiceResponse resp = b.build();
        if (!json) {
            return resp.toByteArray();
        }
        try {
            return JSON_OUT.print(resp).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("BUG: cannot print an OTLP response as JSON", e);
        }
    }
}
