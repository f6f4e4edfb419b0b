package dev.sandglass.storage.index;

import dev.sandglass.storage.api.Labels;
import dev.sandglass.storage.api.StorageException;

/**
 * The canonical text of a label set used as the index key: each name and value prefixed with its
 * length ({@code 8:__name__2:up3:job3:api}), so any character may appear in a value.
 */
final class LabelText {
    private LabelText() {
    }

    static String format(Labels l) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < l.size(); i++) {
            sb.append(l.name(i).length()).append(':').append(l.name(i));
            sb.append(l.value(i).length()).append(':').append(l.value(i));
        }
        return sb.toString();
    }

    static Labels parse(String s) {
        Labels.Builder b = Labels.EMPTY.builder();
        int[] pos = {0};
        while (pos[0] < s.length()) {
            String name = next(s, pos);
            String value = next(s, pos);
            b.set(name, value);
        }
        return b.build();
    }

    private static String next(String s, int[] pos) {
        int colon = s.indexOf(':', pos[0]);
        try {
            int len = Integer.parseInt(s.substring(pos[0], colon));
            String out = s.substring(colon + 1, colon + 1 + len);
            pos[0] = colon + 1 + len;
            return out;
        } catch (RuntimeException e) {
            throw new StorageException("corrupt series index key at " + pos[0] + ": " + s);
        }
    }
}
