"""The shared vocabulary at the bottom of the house: emotion label names and their normalisation
(`emotions`), the condition grammar and severity order (`conditions`), metric names for people
(`metrics`), the content hash of clip audio (`audio_hash`). Every room may import it; it imports
nothing of serfair but `serfair.errors`."""
