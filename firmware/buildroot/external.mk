include $(sort $(wildcard $(BR2_EXTERNAL_DOORCHECK_PATH)/package/*/*.mk))
