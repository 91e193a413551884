DROP TABLE usage_thresholds;
DROP TABLE usage_snapshots;
DROP TABLE activation_materials;
